import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'dist/database/migration-cli.js');

describe('npm run migration:run', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('creates the jobs schema once, in its own schema and migrations table, and is idempotent', async () => {
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, JOBS_SCHEMA: 'queue_x' };
    const first = await run(process.execPath, [CLI], { env, cwd: PROJECT_ROOT });
    expect(first.stdout).toMatch(/Applied .* schema queue_x: CreateJobsTable\d+, CreateSchedules\d+, CreateJobStats\d+, DropListingIndexes\d+, VacuumJobsByCount\d+/);
    const second = await run(process.execPath, [CLI], { env, cwd: PROJECT_ROOT });
    expect(second.stdout).toMatch(/up to date/);

    const migrations = await database.query(`SELECT name FROM queue_x.migrations`);
    expect(migrations.map((row) => row.name)).toEqual([
      'CreateJobsTable1764300000000',
      'CreateSchedules1764400000000',
      'CreateJobStats1764500000000',
      'DropListingIndexes1764600000000',
      'VacuumJobsByCount1764700000000',
    ]);
    const tables = await database.query(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    // Nothing in public: the module fits beside a host application's own tables and migrations.
    expect(tables).toEqual([
      { table_schema: 'queue_x', table_name: 'job_counts_snapshot' },
      { table_schema: 'queue_x', table_name: 'jobs' },
      { table_schema: 'queue_x', table_name: 'migrations' },
      { table_schema: 'queue_x', table_name: 'schedule_fires' },
      { table_schema: 'queue_x', table_name: 'schedules' },
    ]);
    // Autovacuum comes after a fixed number of dead versions, not 20% of a table that keeps its history.
    const [jobsTable] = await database.query<{ reloptions: string[] }>(`SELECT reloptions FROM pg_class WHERE oid = 'queue_x.jobs'::regclass`);
    expect(jobsTable.reloptions).toEqual(['autovacuum_vacuum_scale_factor=0', 'autovacuum_vacuum_threshold=20000']);
    const indexes = await database.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'queue_x' ORDER BY 1`);
    expect(indexes.map((row) => row.indexname)).toEqual(
      expect.arrayContaining(['jobs_claim_idx', 'jobs_key_active_idx', 'jobs_lease_idx', 'jobs_finished_idx', 'schedules_due_idx']),
    );
  });

  it('refuses a bad environment with a message naming the variable', async () => {
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, JOBS_SCHEMA: 'Bad-Name' };
    await expect(run(process.execPath, [CLI], { env, cwd: PROJECT_ROOT })).rejects.toMatchObject({
      stderr: expect.stringMatching(/JOBS_SCHEMA/),
    });
  });
});
