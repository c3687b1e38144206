import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quotedSchemaOf } from './migration-schema.js';

/**
 * Schedules, their decided ticks, and the index of the finished-jobs prune.
 *
 * `schedule_fires` is what makes a tick fire once across containers: its primary key (schedule, fire time) is
 * inserted in the same transaction as the tick's job, so a second decision of the same tick inserts nothing and
 * enqueues nothing. `schedules.next_fire_at` is the first undecided tick (NULL while paused).
 *
 * `jobs_finished_idx` is built in place, not CONCURRENTLY: this migration runs at start-up while other starting
 * containers wait on the migration advisory lock inside a statement, and CREATE INDEX CONCURRENTLY would wait for
 * their snapshots — a cycle through the application that Postgres cannot detect. It blocks writes to `jobs` while it
 * builds; before upgrading an installation with many millions of jobs, create it by hand with CONCURRENTLY (the same
 * definition) and this migration skips it.
 */
export class CreateSchedules1764400000000 implements MigrationInterface {
  name = 'CreateSchedules1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quotedSchemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.schedules (
        name          text PRIMARY KEY,
        cron          text NOT NULL,
        timezone      text NOT NULL DEFAULT 'UTC',
        job_name      text NOT NULL,
        payload       jsonb,
        missed        text NOT NULL DEFAULT 'skip' CHECK (missed IN ('skip', 'runOnce')),
        overlap       text NOT NULL DEFAULT 'allow' CHECK (overlap IN ('skip', 'allow')),
        enabled       boolean NOT NULL DEFAULT true,
        source        text NOT NULL CHECK (source IN ('code', 'api')),
        next_fire_at  timestamptz,
        last_fire_at  timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    // Each container's claim and wake-up read the earliest next tick of the enabled schedules.
    await queryRunner.query(`CREATE INDEX schedules_due_idx ON ${s}.schedules (next_fire_at) WHERE enabled`);
    await queryRunner.query(`
      CREATE TABLE ${s}.schedule_fires (
        schedule_name text NOT NULL REFERENCES ${s}.schedules (name) ON DELETE CASCADE,
        fire_time     timestamptz NOT NULL,
        outcome       text NOT NULL
                      CHECK (outcome IN ('enqueued', 'skipped_overlap', 'skipped_missed', 'failed', 'triggered')),
        job_id        bigint,
        missed_from   timestamptz,
        fired_by      text,
        detail        text,
        decided_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (schedule_name, fire_time)
      )`);
    // The prune of old fire rows, across schedules.
    await queryRunner.query(`CREATE INDEX schedule_fires_time_idx ON ${s}.schedule_fires (fire_time)`);
    // The prune of finished jobs: by status and age, finished rows only.
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS jobs_finished_idx ON ${s}.jobs (status, finished_at)
       WHERE status IN ('completed', 'failed', 'cancelled')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quotedSchemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX ${s}.jobs_finished_idx`);
    await queryRunner.query(`DROP TABLE ${s}.schedule_fires`);
    await queryRunner.query(`DROP TABLE ${s}.schedules`);
  }
}
