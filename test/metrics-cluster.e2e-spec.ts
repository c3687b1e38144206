import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { scrape, samplesOf, valueOf, type Sample } from './support/prometheus-text.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/** Short leases so that the killed exporter's running job is rescued by a survivor within seconds. */
const WORKER_ENV = { ONLY_JOB_SERVER: 'true', JOBS_LEASE_MS: '1000', JOBS_SWEEP_INTERVAL_MS: '200', JOBS_POLL_INTERVAL_MS: '200', JOBS_SHUTDOWN_GRACE_MS: '0' };

type Counts = Record<string, number>;
const key = (queue: string, status: string) => `${queue}/${status}`;
const sorted = (counts: Counts): string => JSON.stringify(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Issue 5, point 2: with several processes on one database, exactly one exports the cluster-wide `jobs_cluster_jobs`
 * (the others omit it, so a sum over instances counts each job once), its values are the true counts, and when that
 * process is killed (SIGKILL) another takes over.
 */
describe('cluster-wide job counts across processes', () => {
  let database: TestDatabase;
  let first: AppProcess;
  let second: AppProcess;
  let api: AppProcess;
  let sleepJobId: string;

  /** The true counts, straight from the table, for the queues and statuses that have jobs. */
  const trueCounts = async (): Promise<Counts> => {
    const rows = await database.query<{ queue: string; status: string; n: number }>(
      `SELECT queue, status, count(*)::int AS n FROM jobs.jobs GROUP BY queue, status`,
    );
    return Object.fromEntries(rows.map((row) => [key(row.queue, row.status), row.n]));
  };
  /** The exported gauge, without its zero series (every status of a queue is exported, 0 included). */
  const exported = (samples: Sample[]): Counts =>
    Object.fromEntries(
      samplesOf(samples, 'jobs_cluster_jobs')
        .filter((sample) => sample.value !== 0)
        .map((sample) => [key(sample.labels.queue, sample.labels.status), sample.value]),
    );
  /** What scrapes found wrong; kept, since `waitFor` retries a probe that throws, and judged by each test. */
  const problems: string[] = [];
  /** One scrape of each process, in this order: the ones that export, and what. */
  const scrapeAll = async (apps: AppProcess[]) => {
    const results = [];
    for (const app of apps) {
      const scraped = await scrape(app.baseUrl);
      const exporter = valueOf(scraped.samples, 'jobs_cluster_exporter');
      const hasGauge = scraped.text.includes('jobs_cluster_jobs');
      // A process exports the gauge exactly when it says it does; the others have no trace of it.
      if (scraped.status !== 200 || hasGauge !== (exporter === 1)) {
        problems.push(`pid ${app.pid}: status ${scraped.status}, gauge present ${hasGauge}, jobs_cluster_exporter ${exporter}`);
      }
      if (exporter === 1) results.push({ app, counts: exported(scraped.samples) });
    }
    return results;
  };

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startAppProcess({ env: { DATABASE_URL: database.url, ...WORKER_ENV } });
    // A long job that the first job server holds when it is killed.
    [{ id: sleepJobId }] = await database.query<{ id: string }>(
      `INSERT INTO jobs.jobs (name, payload) VALUES ('demo.sleep', '{"ms": 600000}') RETURNING id::text`,
    );
    await waitFor('the first job server to run the long job', async () => {
      const [row] = await database.query<{ worker_id: string | null }>(`SELECT worker_id FROM jobs.jobs WHERE id = $1`, [sleepJobId]);
      return row.worker_id?.includes(`:${first.pid}:`);
    });
    [second, api] = await Promise.all([
      startAppProcess({ env: { DATABASE_URL: database.url, ...WORKER_ENV } }),
      startAppProcess({ env: { DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true' } }),
    ]);
    // Jobs nobody handles, so they stay as inserted: two queues, several statuses.
    await database.query(
      `INSERT INTO jobs.jobs (name, queue, status, finished_at)
       SELECT 'test.unhandled', q, s, CASE WHEN s IN ('completed', 'failed') THEN now() END
         FROM (VALUES ('mail', 'pending', 5), ('mail', 'completed', 3), ('reports', 'failed', 2), ('reports', 'pending', 1)) AS v(q, s, n),
              generate_series(1, n)`,
    );
  });

  afterAll(async () => {
    await Promise.all([first, second, api].map((app) => app?.stop('SIGKILL')));
    await database?.drop();
  });

  it('exactly one process exports the gauge, and its values are the true counts', async () => {
    const expected = await trueCounts();
    expect(expected).toEqual({ 'default/processing': 1, 'mail/pending': 5, 'mail/completed': 3, 'reports/failed': 2, 'reports/pending': 1 });
    // The first scraped takes the lock; the snapshot may be up to 5 s old, so wait until it shows these rows.
    // waitFor retries on a throw, so every round's count of exporters is kept and judged afterwards.
    const rounds: number[] = [];
    const exporters = await waitFor('the exporter to show the true counts', async () => {
      const found = await scrapeAll([first, second, api]);
      rounds.push(found.length);
      return found.length === 1 && sorted(found[0].counts) === sorted(expected) ? found : undefined;
    }, { timeoutMs: 15_000, intervalMs: 250 });
    expect(rounds.every((exporting) => exporting === 1), `exporters per round: ${rounds}`).toBe(true);
    expect(exporters[0].app).toBe(first);
    expect(exporters[0].counts).toEqual(expected);
    // Leadership is stable: later scrapes, in any order, find the same single exporter.
    for (const order of [[api, second, first], [second, first, api]]) {
      const found = await scrapeAll(order);
      expect(found.map((result) => result.app)).toEqual([first]);
    }
  });

  it('another process takes over when the exporter is killed, and a survivor rescues its job', async () => {
    await first.stop('SIGKILL');
    const rounds: number[] = [];
    const [successor] = await waitFor('a surviving process to export the gauge', async () => {
      const found = await scrapeAll([api, second]);
      rounds.push(found.length);
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 15_000, intervalMs: 250 });
    expect(rounds.every((exporting) => exporting <= 1), `exporters per round: ${rounds}`).toBe(true);
    expect([api, second]).toContain(successor.app);
    // The killed server's job: its lease expires, the surviving job server's sweep returns it and runs it again.
    const rescued = await waitFor('the surviving job server to rescue the long job', async () => {
      const scraped = await scrape(second.baseUrl);
      return valueOf(scraped.samples, 'jobs_lease_rescued_total') === 1 ? scraped : undefined;
    });
    expect(valueOf(rescued.samples, 'jobs_lease_rescued_total')).toBe(1);
    await waitFor('the job to run again on the surviving job server', async () => {
      const [row] = await database.query<{ worker_id: string; status: string }>(`SELECT worker_id, status FROM jobs.jobs WHERE id = $1`, [sleepJobId]);
      return row.status === 'processing' && row.worker_id.includes(`:${second.pid}:`);
    });
    const expected = await trueCounts();
    const exporterPids: number[][] = [];
    await waitFor('the new exporter to show the true counts', async () => {
      const found = await scrapeAll([api, second]);
      exporterPids.push(found.map((result) => result.app.pid));
      return found.length === 1 && sorted(found[0].counts) === sorted(expected);
    }, { timeoutMs: 15_000, intervalMs: 250 });
    // Once taken over, leadership stays with the successor.
    expect(exporterPids.every((pids) => pids.length === 1 && pids[0] === successor.app.pid), `exporters per round: ${JSON.stringify(exporterPids)}`).toBe(true);
  });
});
