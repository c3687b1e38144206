import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_ENTRY, http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createExecutionLog, overlappingExecutions } from './support/execution-log.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const TOTAL = 5_000;
/** Enqueued one `POST /jobs` each; the rest go through `POST /jobs/batch`. */
const SINGLES = 200;
const BATCH_SIZE = 400;
const SINGLES_IN_FLIGHT = 10;

/**
 * Issue 2, point 12: one API process (JOBS_SERVER_DISABLED) and three dedicated job servers (ONLY_JOB_SERVER) on one
 * database. Jobs are enqueued over HTTP while the job servers already drain them; the execution log written by the
 * `test.record` handler, not the final rows, proves that no job ran twice at once.
 */
describe('topology: one API process and three job servers on one database', () => {
  let database: TestDatabase;
  let api: AppProcess | undefined;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await createExecutionLog(database);
    const env = { DATABASE_URL: database.url, DEMO_JOBS: 'false' };
    // Started together: four processes migrating one database at once must still migrate exactly once.
    const started = await Promise.allSettled([
      startAppProcess({ entry: RECORDING_ENTRY, env: { ...env, JOBS_SERVER_DISABLED: 'true' } }),
      ...[1, 2, 3].map(() =>
        startAppProcess({ entry: RECORDING_ENTRY, env: { ...env, ONLY_JOB_SERVER: 'true', JOBS_CONCURRENCY: '20' } }),
      ),
    ]);
    const [first, ...rest] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    api = first;
    for (const worker of rest) if (worker) workers.push(worker);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
  });

  afterAll(async () => {
    await Promise.all([api, ...workers].map((app) => app?.stop()));
    await database?.drop();
  });

  it(`completes ${TOTAL} jobs enqueued over HTTP, all on the job servers, each executed exactly once`, async () => {
    const began = performance.now();
    const ids = await enqueueOverHttp(api!);
    const enqueuedMs = performance.now() - began;
    expect(new Set(ids).size).toBe(TOTAL);

    await waitFor(
      `all ${TOTAL} jobs to complete`,
      async () => {
        const [row] = await database.query<{ done: number }>(`SELECT count(*)::int AS done FROM jobs.jobs WHERE status = 'completed'`);
        return row.done === TOTAL;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    const drainedMs = performance.now() - began;
    console.log(`[topology] ${TOTAL} jobs: enqueued over HTTP in ${Math.round(enqueuedMs)} ms, all completed after ${Math.round(drainedMs)} ms`);

    const statuses = await database.query(`SELECT status, count(*)::int AS n FROM jobs.jobs GROUP BY status`);
    expect(statuses).toEqual([{ status: 'completed', n: TOTAL }]);

    // worker_id is host:pid:tag: every job ran on a job server, none on the API process, and all three took part.
    const byPid = await database.query<{ pid: number; n: number }>(
      `SELECT split_part(worker_id, ':', 2)::int AS pid, count(*)::int AS n FROM jobs.jobs GROUP BY 1 ORDER BY 1`,
    );
    const workerPids = workers.map((worker) => worker.pid).sort((a, b) => a - b);
    expect(byPid.map((row) => row.pid)).toEqual(workerPids);
    expect(byPid.map((row) => row.pid)).not.toContain(api!.pid);
    for (const row of byPid) expect(row.n).toBeGreaterThan(0);
    const [mismatched] = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs.jobs
        WHERE attempts <> 1 OR (result->>'pid')::int <> split_part(worker_id, ':', 2)::int`,
    );
    expect(mismatched.n).toBe(0);

    // The execution log: one finished execution per job, on the process the row names, and no overlaps.
    const [log] = await database.query<{ rows: number; jobs: number; open: number; foreign: number; wrong: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT e.job_id)::int AS jobs,
              count(*) FILTER (WHERE e.ended_at IS NULL)::int AS open,
              count(*) FILTER (WHERE j.id IS NULL)::int AS foreign,
              count(*) FILTER (WHERE e.attempt <> 1 OR e.pid <> split_part(j.worker_id, ':', 2)::int)::int AS wrong
         FROM test_executions e LEFT JOIN jobs.jobs j ON j.id = e.job_id`,
    );
    expect(log).toEqual({ rows: TOTAL, jobs: TOTAL, open: 0, foreign: 0, wrong: 0 });
    expect(await overlappingExecutions(database)).toEqual([]);

    for (const app of [api!, ...workers]) expect((await http(app.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

/** Batches and single enqueues at the same time, as several clients would; returns every new job's id. */
async function enqueueOverHttp(api: AppProcess): Promise<string[]> {
  const job = () => ({ name: 'test.record', payload: {} });
  const batches = Array.from({ length: (TOTAL - SINGLES) / BATCH_SIZE }, () => Array.from({ length: BATCH_SIZE }, job));
  const postBatch = async (jobs: unknown[]) => {
    const response = await http(api.baseUrl, 'POST', '/jobs/batch', { jobs });
    expect(response.status).toBe(201);
    return (response.body.jobs as Array<{ id: string }>).map((created) => created.id);
  };
  let singlesLeft = SINGLES;
  const postSingles = async () => {
    const ids: string[] = [];
    while (singlesLeft > 0) {
      singlesLeft -= 1;
      const response = await http(api.baseUrl, 'POST', '/jobs', job());
      expect(response.status).toBe(201);
      ids.push(response.body.id);
    }
    return ids;
  };
  const results = await Promise.all([
    ...batches.map(postBatch),
    ...Array.from({ length: SINGLES_IN_FLIGHT }, postSingles),
  ]);
  return results.flat();
}
