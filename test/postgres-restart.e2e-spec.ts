import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_ENTRY, http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createExecutionLog, overlappingExecutions } from './support/execution-log.js';
import { startPrivateCluster, type PrivateCluster } from './support/private-cluster.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const JOBS_PER_RUN = 500;
/** Jobs that must have completed before the outage, so that it lands mid-run. */
const BEFORE_OUTAGE = 50;

/**
 * Issue 2, points 7 and 12: Postgres goes away mid-run — a restart, a crash with recovery, every connection
 * terminated — on a cluster of this test's own (never the shared server). Every job still completes, no process
 * exits, each is ready again afterwards, and the execution log shows no job ran twice at once.
 */
describe('Postgres restarted, crashed or cutting connections mid-run', () => {
  let cluster: PrivateCluster | undefined;
  let database: TestDatabase | undefined;
  const apps: AppProcess[] = [];
  let api: AppProcess;
  let workers: AppProcess[];

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    database = await createTestDatabase(cluster.url);
    await createExecutionLog(database);
    const env = { DATABASE_URL: database.url, DEMO_JOBS: 'false' };
    // The lease outlasts the outages (a few seconds at most): a server that cannot renew for 75% of it would abort
    // its handlers; here they must simply carry on.
    const worker = {
      ...env,
      ONLY_JOB_SERVER: 'true',
      JOBS_CONCURRENCY: '5',
      JOBS_LEASE_MS: '15000',
      JOBS_SWEEP_INTERVAL_MS: '1000',
      JOBS_POLL_INTERVAL_MS: '200',
    };
    const started = await Promise.allSettled([
      startAppProcess({ entry: RECORDING_ENTRY, env: { ...env, JOBS_SERVER_DISABLED: 'true' } }),
      startAppProcess({ entry: RECORDING_ENTRY, env: worker }),
      startAppProcess({ entry: RECORDING_ENTRY, env: worker }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    [api, ...workers] = apps;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await database?.drop().catch(() => undefined);
    await cluster?.destroy();
  });

  /** Enqueues a run of short jobs, applies `outage` once some have completed, and checks that the run survives. */
  async function survives(label: string, outage: (db: TestDatabase) => Promise<void>): Promise<void> {
    const db = database!;
    const response = await http(api.baseUrl, 'POST', '/jobs/batch', {
      jobs: Array.from({ length: JOBS_PER_RUN }, () => ({ name: 'test.record', payload: { sleepMs: 100 } })),
    });
    expect(response.status).toBe(201);
    const ids = (response.body.jobs as Array<{ id: string }>).map((job) => job.id);
    const completed = async () => {
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs.jobs WHERE id = ANY($1::bigint[]) AND status = 'completed'`,
        [ids],
      );
      return row.n;
    };

    const before = await waitFor(
      `${BEFORE_OUTAGE} jobs to complete`,
      async () => {
        const done = await completed();
        return done >= BEFORE_OUTAGE ? done : 0;
      },
      { timeoutMs: 20_000, intervalMs: 20 },
    );
    expect(before).toBeLessThan(JOBS_PER_RUN / 2);
    const outputBefore = workers.map((worker) => worker.output().length);
    const began = performance.now();
    await outage(db);
    await waitFor(`all ${JOBS_PER_RUN} jobs to complete after the ${label}`, async () => (await completed()) === JOBS_PER_RUN, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const restMs = Math.round(performance.now() - began);
    console.log(`[postgres-restart] ${label} after ${before}/${JOBS_PER_RUN} jobs: the rest completed ${restMs} ms later`);

    for (const app of apps) {
      expect(await stillRunning(app), `process ${app.pid} exited:\n${app.output().slice(-2000)}`).toBe(true);
      await waitFor(
        `${app.baseUrl}/health to answer 200 again`,
        async () => (await http(app.baseUrl, 'GET', '/health')).status === 200,
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    }
    // The outage reached the job servers: their notification connection dropped…
    workers.forEach((worker, index) =>
      expect(worker.output().slice(outputBefore[index])).toMatch(/Notification connection lost/),
    );
    // …and it is back: a cancel reaches the running handler through NOTIFY, well before a heartbeat (every 5 s)
    // would tell it.
    await expectCancelToStopHandlerQuickly(db);

    const [log] = await db.query<{ unfinished: number }>(
      `SELECT count(*)::int AS unfinished FROM unnest($1::bigint[]) AS wanted(job_id)
        WHERE NOT EXISTS (SELECT 1 FROM test_executions e WHERE e.job_id = wanted.job_id AND e.ended_at IS NOT NULL)`,
      [ids],
    );
    expect(log.unfinished).toBe(0);
    // Nothing was lost and left to the lease sweep: every job completed in its first attempt, with no error.
    const [retried] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs.jobs WHERE id = ANY($1::bigint[]) AND (attempts <> 1 OR errors <> '[]'::jsonb)`,
      [ids],
    );
    expect(retried.n).toBe(0);
    expect(await overlappingExecutions(db)).toEqual([]);
  }

  async function expectCancelToStopHandlerQuickly(db: TestDatabase): Promise<void> {
    const created = await http(api.baseUrl, 'POST', '/jobs', { name: 'test.record', payload: { sleepMs: 30_000 } });
    const id: string = created.body.id;
    await waitFor(
      'a job server to start the job to cancel',
      async () => (await db.query(`SELECT 1 FROM test_executions WHERE job_id = $1`, [id])).length > 0,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    const [{ at }] = await db.query<{ at: Date }>(`SELECT clock_timestamp() AS at`);
    expect((await http(api.baseUrl, 'POST', `/jobs/${id}/cancel`)).status).toBe(200);
    const [stopped] = await waitFor(
      'the cancelled handler to stop',
      () =>
        db.query<{ ms: number }>(
          `SELECT (extract(epoch FROM ended_at - $2::timestamptz) * 1000)::float8 AS ms
             FROM test_executions WHERE job_id = $1 AND ended_at IS NOT NULL`,
          [id, at],
        ).then((rows) => (rows.length ? rows : undefined)),
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    expect(stopped.ms).toBeLessThan(2_000);
  }

  it('survives a restart of Postgres (fast shutdown, down until every server noticed, start on the same port)', async () => {
    await survives('restart', async () => {
      const marks = workers.map((worker) => worker.output().length);
      await cluster!.stop();
      await waitFor(
        'both job servers to find Postgres unreachable',
        () => workers.every((worker, index) => /ECONNREFUSED/.test(worker.output().slice(marks[index]))),
        { timeoutMs: 10_000 },
      );
      await cluster!.start();
    });
  });

  it('survives a crash of Postgres (SIGKILL of the postmaster, crash recovery)', async () => {
    await survives('crash', () => cluster!.crash());
  });

  it('survives every connection of the servers being terminated, three times', async () => {
    await survives('pg_terminate_backend ×3', async (db) => {
      for (let round = 0; round < 3; round += 1) {
        const [cut] = await db.query<{ n: number; at: Date }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n, clock_timestamp() AS at
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        expect(cut.n).toBeGreaterThan(0);
        // The next round once the servers work again: a job completes after this round's cut.
        await waitFor(
          'a job to complete after the cut',
          async () => (await db.query(`SELECT 1 FROM jobs.jobs WHERE finished_at > $1 LIMIT 1`, [cut.at])).length > 0,
          { timeoutMs: 20_000, intervalMs: 20 },
        );
      }
    });
  });
});

/** True while the process has not exited. */
async function stillRunning(app: AppProcess): Promise<boolean> {
  return Promise.race([app.exited.then(() => false), new Promise<boolean>((resolve) => setImmediate(() => resolve(true)))]);
}
