import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quotedSchemaOf } from './migration-schema.js';

/** Dead row versions after which autovacuum visits the jobs table, whatever its size: about 10,000 jobs' worth. */
const JOBS_VACUUM_THRESHOLD = 20_000;

/**
 * Has autovacuum visit the jobs table after a fixed number of dead row versions instead of a share of the table.
 *
 * Why: claiming a job updates its row, and the old version's entry stays in `jobs_claim_idx` until a vacuum removes
 * it. The claim reads that index from its head, where those entries gather, so every claim walks past all the jobs
 * claimed since the last vacuum (measured: 4 index pages on a vacuumed table, 252 after 50,000 claims, 1,236 after
 * 250,000, about 1 ms added to each claim; `bench/statement-costs.mjs`). Autovacuum's default trigger is 20% of the
 * table's rows dead: with millions of finished jobs kept for their results, hundreds of thousands of claims apart.
 * Each job leaves two dead versions (claim, completion), so the threshold comes about every 10,000 jobs; at high
 * throughput autovacuum's own cycle (`autovacuum_naptime`, a minute by default) bounds it. A vacuum of this table
 * skips the history's pages (the visibility map) but reads each index once: 75 ms with 2,000,000 finished jobs here.
 *
 * Storage parameters of this table only, taken under a lock that lets reads and writes go on; an operator may set
 * others afterwards (`ALTER TABLE … SET`): the migration runs once.
 */
export class VacuumJobsByCount1764700000000 implements MigrationInterface {
  name = 'VacuumJobsByCount1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${quotedSchemaOf(queryRunner)}.jobs
         SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = ${JOBS_VACUUM_THRESHOLD})`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quotedSchemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.jobs RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold)`);
  }
}
