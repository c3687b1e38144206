import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quotedSchemaOf } from './migration-schema.js';

/**
 * The cluster-wide count of jobs by queue and status, as one shared snapshot row. Counting millions of rows is too
 * costly to do on every dashboard refresh or metrics scrape in every container, so whichever process finds the
 * snapshot stale recounts it (at most one at a time: the row is taken with SKIP LOCKED) and everyone else reads the
 * row. `took_ms` lets the refresh interval grow with the table, bounding the cost of counting.
 */
export class CreateJobStats1764500000000 implements MigrationInterface {
  name = 'CreateJobStats1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quotedSchemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.job_counts_snapshot (
        id        smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        counts    jsonb NOT NULL DEFAULT '[]'::jsonb,
        taken_at  timestamptz NOT NULL DEFAULT '-infinity',
        took_ms   integer NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`INSERT INTO ${s}.job_counts_snapshot (id) VALUES (1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${quotedSchemaOf(queryRunner)}.job_counts_snapshot`);
  }
}
