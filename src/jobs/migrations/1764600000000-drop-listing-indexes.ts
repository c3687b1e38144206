import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quotedSchemaOf } from './migration-schema.js';

/**
 * Drops the two listing indexes, `(status, id)` and `(name, id)`. Every job is inserted, claimed and completed, and
 * none of those updates can be HOT (status is in the claim index's predicate), so each index on the table takes a new
 * entry three times per job: these two made 6 of the 12 index writes of every job, for the benefit of the dashboard's
 * filters alone. What serves listing without them:
 * - newest first with no filter, or filtered by a status or name that most recent jobs have: the primary key,
 *   read backwards until the page is full;
 * - `pending` and `processing`: the claim index and the lease index hold exactly those rows (few, next to history);
 * - `failed` and `cancelled`: `jobs_finished_idx`, sorted.
 * A rare name or queue among millions of finished jobs is the one slow case: the scan reads back until it has a page
 * (the queue filter always did). The hot path finds rows by primary key and never used either index.
 * DROP INDEX takes a brief exclusive lock on the table; safe while other containers start (migrations are serialised).
 */
export class DropListingIndexes1764600000000 implements MigrationInterface {
  name = 'DropListingIndexes1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quotedSchemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX IF EXISTS ${s}.jobs_status_id_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS ${s}.jobs_name_id_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quotedSchemaOf(queryRunner);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS jobs_status_id_idx ON ${s}.jobs (status, id)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS jobs_name_id_idx ON ${s}.jobs (name, id)`);
  }
}
