import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStatsService } from '../src/jobs/index.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 5: the cluster-wide figures behind the dashboard and the metrics — job counts by queue and status from a
 * shared snapshot that at most one process recounts at a time, and completed/failed per minute over the last hour.
 */

@Injectable()
class NoHandlers {}

describe('JobStatsService', () => {
  let database: TestDatabase;
  let apps: JobsTestApp[];
  let stats: JobStatsService[];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two processes sharing the database (neither executes jobs: the rows below stay as inserted).
    apps = await Promise.all([0, 1].map(() => startJobsTestApp({ url: database.url, handlers: [NoHandlers] })));
    stats = apps.map((app) => app.app.get(JobStatsService));
  });

  afterAll(async () => {
    await Promise.all((apps ?? []).map((app) => app.close()));
    await database?.drop();
  });

  const insertJobs = (queue: string, status: string, count: number, finishedMinutesAgo: number | null = null) =>
    database.query(
      `INSERT INTO jobs.jobs (name, queue, status, finished_at)
       SELECT 'test.stats', $1, $2, now() - make_interval(mins => $3::int) FROM generate_series(1, $4)`,
      [queue, status, finishedMinutesAgo, count],
    );

  it('counts jobs by queue and status, with every status in the totals', async () => {
    await insertJobs('mail', 'pending', 7);
    await insertJobs('mail', 'completed', 5, 1);
    await insertJobs('reports', 'processing', 2);
    await insertJobs('reports', 'failed', 3, 2);

    const counts = await stats[0].counts(0);
    expect(counts.takenAt).toBeInstanceOf(Date);
    expect(counts.byQueue.sort((a, b) => `${a.queue}${a.status}`.localeCompare(`${b.queue}${b.status}`))).toEqual([
      { queue: 'mail', status: 'completed', count: 5 },
      { queue: 'mail', status: 'pending', count: 7 },
      { queue: 'reports', status: 'failed', count: 3 },
      { queue: 'reports', status: 'processing', count: 2 },
    ]);
    expect(counts.totals).toEqual({ pending: 7, processing: 2, completed: 5, failed: 3, cancelled: 0 });
  });

  it('serves a fresh snapshot to every process without recounting, and recounts once it is stale', async () => {
    const first = await stats[0].counts(0);
    await insertJobs('mail', 'pending', 4);
    // Fresh for a minute: the other process reads the same snapshot, without the 4 new rows.
    const shared = await stats[1].counts(60_000);
    expect(shared.takenAt?.getTime()).toBe(first.takenAt?.getTime());
    expect(shared.totals.pending).toBe(7);
    // Stale (an hour old, so also past 20 times the last count's duration): recounted.
    await database.query(`UPDATE jobs.job_counts_snapshot SET taken_at = taken_at - interval '1 hour'`);
    const recounted = await stats[1].counts(60_000);
    expect(recounted.totals.pending).toBe(11);
    expect(recounted.takenAt!.getTime()).toBeGreaterThan(first.takenAt!.getTime());
  });

  it('never recounts twice at once: concurrent callers across processes share one count', async () => {
    await database.query(`UPDATE jobs.job_counts_snapshot SET taken_at = '-infinity'`);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stats[i % 2].counts(60_000)));
    // Every caller got a complete snapshot.
    for (const result of results) expect(result.totals.pending).toBe(11);
    // One recount: every caller, in either process, saw the same snapshot.
    const takenAts = new Set(results.map((result) => result.takenAt!.getTime()));
    expect(takenAts.size).toBe(1);
  });

  it('reports completed and failed per minute over the last hour, empty minutes included', async () => {
    const minutes = await stats[0].throughput(60);
    expect(minutes).toHaveLength(60);
    const times = minutes.map((m) => m.minute.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[59] - times[0]).toBe(59 * 60_000);
    expect(minutes.reduce((sum, m) => sum + m.completed, 0)).toBe(5);
    expect(minutes.reduce((sum, m) => sum + m.failed, 0)).toBe(3);
    // Jobs that finished before the window are not in it.
    await insertJobs('mail', 'completed', 9, 120);
    const again = await stats[0].throughput(60);
    expect(again.reduce((sum, m) => sum + m.completed, 0)).toBe(5);
  });

  it('reads the last hour through the finished-jobs index, not a scan of the table', async () => {
    await database.query('SET enable_seqscan = off');
    const [plan] = await database.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) SELECT date_trunc('minute', finished_at), status, count(*) FROM jobs.jobs
        WHERE status IN ('completed', 'failed') AND finished_at >= now() - interval '59 minutes' GROUP BY 1, 2`,
    );
    await database.query('RESET enable_seqscan');
    expect(JSON.stringify(plan['QUERY PLAN'])).toContain('jobs_finished_idx');
  });
});
