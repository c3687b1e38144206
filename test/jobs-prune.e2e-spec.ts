import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, PRUNE_JOB_NAME } from '../src/jobs/index.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitForJobRow } from './support/job-rows.js';

/**
 * Issue 4, point 5: the built-in `jobs.prune` schedule deletes finished jobs past their retention — completed after
 * `completedDays`, failed and cancelled after `failedDays` — in bounded batches, and nothing else.
 */

@Injectable()
class Handlers {
  @JobHandler('test.noop')
  noop(): void {}
}

const RETENTION = { completedDays: 7, failedDays: 30, batchSize: 10 };

describe('jobs.prune', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({ url: database.url, handlers: [Handlers], processing: {}, retention: RETENTION });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** `count` rows of one kind, named after it; `test.unhandled` has no handler, so nothing here ever claims them. */
  const insertJobs = (label: string, count: number, status: string, finishedDaysAgo: number | null, extra = '') =>
    database.query(
      `INSERT INTO jobs.jobs (name, status, finished_at, created_at, run_at, payload, locked_until, worker_id)
       SELECT 'test.unhandled', $2, now() - make_interval(days => $3::int), now() - interval '400 days',
              now() - interval '400 days', jsonb_build_object('label', $1::text), ${extra || 'NULL, NULL'}
         FROM generate_series(1, $4)`,
      [label, status, finishedDaysAgo, count],
    );

  it('is declared as a code schedule that catches up once and never overlaps', async () => {
    const schedule = await app.schedules.get(PRUNE_JOB_NAME);
    expect(schedule).toMatchObject({
      cron: '5 * * * *',
      jobName: PRUNE_JOB_NAME,
      missed: 'runOnce',
      overlap: 'skip',
      source: 'code',
      declaredIn: 'JobsModule (built-in retention)',
      enabled: true,
    });
  });

  it('deletes only finished jobs past their retention, in batches, and old fire rows', async () => {
    await insertJobs('completed-old', 25, 'completed', 8);
    await insertJobs('completed-recent', 3, 'completed', 6);
    await insertJobs('failed-old', 12, 'failed', 31);
    await insertJobs('failed-recent', 2, 'failed', 29);
    await insertJobs('cancelled-old', 3, 'cancelled', 31);
    // Cancelled long ago but its handler still runs somewhere (lease held): kept until that handler returns.
    await insertJobs('cancelled-running', 1, 'cancelled', 40, `now() + interval '1 hour', 'elsewhere:1:x'`);
    // Live jobs are never pruned, whatever their dates say.
    await insertJobs('pending-ancient', 2, 'pending', 100);
    await insertJobs('processing-ancient', 1, 'processing', 100, `now() + interval '1 hour', 'elsewhere:1:x'`);
    await app.schedules.create({ name: 'prune.history', cron: '0 0 1 1 *', jobName: 'test.noop' });
    await database.query(
      `INSERT INTO jobs.schedule_fires (schedule_name, fire_time, outcome)
       SELECT 'prune.history', now() - make_interval(days => d), 'enqueued' FROM unnest(ARRAY[31, 32, 33, 40, 50, 29, 1]) AS d`,
    );

    const { job } = await app.schedules.trigger(PRUNE_JOB_NAME);
    const done = await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed');
    expect(done.result).toEqual({ completed: 25, failed: 15, fires: 5, batches: 3 + 2 + 1 });

    const left = await database.query<{ label: string; status: string; n: number }>(
      `SELECT payload->>'label' AS label, status, count(*)::int AS n FROM jobs.jobs
        WHERE name = 'test.unhandled' GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(left).toEqual([
      { label: 'cancelled-running', status: 'cancelled', n: 1 },
      { label: 'completed-recent', status: 'completed', n: 3 },
      { label: 'failed-recent', status: 'failed', n: 2 },
      { label: 'pending-ancient', status: 'pending', n: 2 },
      { label: 'processing-ancient', status: 'processing', n: 1 },
    ]);
    const fires = await database.query<{ days: number }>(
      `SELECT round(extract(epoch FROM now() - fire_time) / 86400)::int AS days FROM jobs.schedule_fires
        WHERE schedule_name = 'prune.history' ORDER BY 1`,
    );
    expect(fires.map((row) => row.days)).toEqual([1, 29]);
    // The prune's own run is recorded like any schedule run.
    expect((await app.schedules.get(PRUNE_JOB_NAME)).lastRuns[0]).toMatchObject({ outcome: 'triggered', jobId: job.id });
  });

  it('finds old finished jobs through the finished-jobs index, not a scan of the table', async () => {
    // A tiny table may well be scanned; ask the planner what it would do on a large one.
    await database.query('SET enable_seqscan = off');
    const [plan] = await database.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) SELECT id FROM jobs.jobs
        WHERE status = ANY(ARRAY['failed', 'cancelled']) AND status IN ('completed', 'failed', 'cancelled')
          AND finished_at < now() - make_interval(days => 30) AND locked_until IS NULL LIMIT 1000`,
    );
    await database.query('RESET enable_seqscan');
    expect(JSON.stringify(plan['QUERY PLAN'])).toContain('jobs_finished_idx');
  });
});
