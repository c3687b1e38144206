import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_ENTRY, http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createExecutionLog, overlappingExecutions, recordKill } from './support/execution-log.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const LEASE_MS = 2_000;
/** Long enough to outlive any grace period here; the next run of the same job is quick. */
const LONG = { sleepMs: 10_000, firstRunOnly: true };
const STUCK = { ...LONG, ignoreSignal: true };

/**
 * Issue 2, point 7 and 12: SIGTERM drains a job server. It stops claiming, lets running handlers finish within
 * JOBS_SHUTDOWN_GRACE_MS, then aborts the rest and hands them back; a handler that ignores its signal never runs at
 * the same time as the job's next run. Nest re-raises the signal once its shutdown hooks are done, so a clean
 * shutdown ends with the process killed by SIGTERM (exit code null), not with exit code 1 (an error in a hook).
 */
describe('SIGTERM on a job server', () => {
  let database: TestDatabase;
  let api: AppProcess;
  const servers: AppProcess[] = [];

  const startServer = async (env: Record<string, string> = {}) => {
    const server = await startAppProcess({
      entry: RECORDING_ENTRY,
      env: {
        DATABASE_URL: database.url,
        DEMO_JOBS: 'false',
        ONLY_JOB_SERVER: 'true',
        JOBS_LEASE_MS: String(LEASE_MS),
        JOBS_SWEEP_INTERVAL_MS: '500',
        JOBS_POLL_INTERVAL_MS: '200',
        // The processor's shutdown messages are at level `log`: the test waits for them instead of sleeping.
        LOG_LEVEL: 'log',
        ...env,
      },
    });
    servers.push(server);
    return server;
  };

  const enqueue = async (payloads: object[]): Promise<string[]> => {
    const response = await http(api.baseUrl, 'POST', '/jobs/batch', {
      jobs: payloads.map((payload) => ({ name: 'test.record', payload })),
    });
    expect(response.status).toBe(201);
    return (response.body.jobs as Array<{ id: string }>).map((job) => job.id);
  };

  const runningOn = async (server: AppProcess) =>
    (
      await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM test_executions WHERE pid = $1 AND ended_at IS NULL`, [
        server.pid,
      ])
    )[0].n;

  const jobs = (ids: string[]) =>
    database.query(`SELECT * FROM jobs.jobs WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);

  const executionsOf = (ids: string[]) =>
    database.query(
      `SELECT job_id::text, attempt, pid, started_at, ended_at FROM test_executions WHERE job_id = ANY($1::bigint[]) ORDER BY job_id, started_at`,
      [ids],
    );

  const waitCompleted = (ids: string[], timeoutMs = 15_000) =>
    waitFor(
      `jobs ${ids.join(', ')} to complete`,
      async () => (await jobs(ids)).every((job) => job.status === 'completed'),
      { timeoutMs, intervalMs: 50 },
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    await createExecutionLog(database);
    api = await startAppProcess({
      entry: RECORDING_ENTRY,
      env: { DATABASE_URL: database.url, DEMO_JOBS: 'false', JOBS_SERVER_DISABLED: 'true' },
    });
  });

  afterAll(async () => {
    await Promise.all([api, ...servers].map((app) => app?.stop('SIGKILL')));
    await database?.drop();
  });

  it('stops claiming, lets running handlers finish, and exits by the re-raised SIGTERM', async () => {
    const a = await startServer({ JOBS_SHUTDOWN_GRACE_MS: '10000' });
    const running = await enqueue([{ sleepMs: 1_500 }, { sleepMs: 1_500 }, { sleepMs: 1_500 }]);
    await waitFor('A to run the three jobs', async () => (await runningOn(a)) === 3, { timeoutMs: 10_000, intervalMs: 20 });

    const signalledAt = Date.now();
    const exit = a.stop('SIGTERM');
    await a.waitForOutput(/Shutting down: waiting up to 10000 ms for 3 running jobs/, 5_000);
    // While it drains it still answers, but no longer as ready: orchestrators stop routing to it.
    expect((await http(a.baseUrl, 'GET', '/health')).status).toBe(503);
    expect((await http(a.baseUrl, 'GET', '/health/live')).status).toBe(200);
    const later = await enqueue([{}, {}]);
    const { code, signal } = await exit;
    const shutdownMs = Date.now() - signalledAt;
    console.log(`[worker-shutdown] drained 3 running jobs and exited ${shutdownMs} ms after SIGTERM`);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(shutdownMs).toBeLessThan(1_500 + 3_000);

    for (const job of await jobs(running)) {
      expect(job).toMatchObject({ status: 'completed', attempts: 1, result: { pid: a.pid } });
    }
    // Enqueued (and notified) while A drained: A did not take them.
    for (const job of await jobs(later)) expect(job).toMatchObject({ status: 'pending', attempts: 0, worker_id: null });
    expect(await executionsOf(later)).toEqual([]);

    const b = await startServer();
    await waitCompleted(later);
    for (const job of await jobs(later)) expect(job.result).toEqual({ pid: b.pid });
    expect(await overlappingExecutions(database)).toEqual([]);
    await b.stop('SIGTERM');
  });

  it('after the grace period aborts the handlers, gives their jobs back with their attempt, and exits promptly', async () => {
    const c = await startServer({ JOBS_SHUTDOWN_GRACE_MS: '1000' });
    const honouring = await enqueue([LONG, LONG, LONG]);
    const [ignoring] = await enqueue([STUCK]);
    await waitFor('C to run the four jobs', async () => (await runningOn(c)) === 4, { timeoutMs: 10_000, intervalMs: 20 });

    const signalledAt = Date.now();
    const { code, signal } = await c.stop('SIGTERM');
    await recordKill(database, c.pid); // the execution that ignored its signal ended with the process
    const shutdownMs = Date.now() - signalledAt;
    console.log(`[worker-shutdown] grace 1000 ms: aborted 4 handlers (one ignoring its signal) and exited ${shutdownMs} ms after SIGTERM`);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(shutdownMs).toBeLessThan(1_000 + 3_000);
    expect(c.output()).toMatch(/Grace period over: aborting 4 jobs/);

    // Handlers that honoured their signal: back to pending, due now, the attempt given back, no error recorded.
    for (const job of await jobs(honouring)) {
      expect(job).toMatchObject({ status: 'pending', attempts: 0, worker_id: null, locked_until: null, errors: [], started_at: null });
    }
    // Their executions ended (the handler returned) before the process exited.
    const ended = (await executionsOf(honouring)).filter((execution) => execution.ended_at !== null);
    expect(ended).toHaveLength(3);

    // The handler that ignored its signal ran until the exit: its job kept its lease past that moment, so no other
    // server could start it while the handler still ran.
    const [held] = await database.query(
      `SELECT j.status, j.attempts, j.locked_until > k.killed_at AS leased_past_exit
         FROM jobs.jobs j, test_killed_pids k WHERE j.id = $1 AND k.pid = $2`,
      [ignoring, c.pid],
    );
    expect(held).toEqual({ status: 'processing', attempts: 1, leased_past_exit: true });

    const b = await startServer();
    await waitCompleted([...honouring, ignoring], LEASE_MS + 10_000);
    for (const job of await jobs(honouring)) expect(job).toMatchObject({ attempts: 1, errors: [], result: { pid: b.pid } });
    // Returned by the lease sweep: that run counts as an attempt lost with its process, like a crash.
    const [stuck] = await jobs([ignoring]);
    expect(stuck).toMatchObject({ attempts: 2, result: { pid: b.pid } });
    expect(stuck.errors).toEqual([expect.objectContaining({ attempt: 1, message: expect.stringMatching(/^Lease expired/) })]);
    const runs = await executionsOf([ignoring]);
    expect(runs.map((run) => ({ pid: run.pid, ended: run.ended_at !== null }))).toEqual([
      { pid: c.pid, ended: false },
      { pid: b.pid, ended: true },
    ]);
    expect(await overlappingExecutions(database)).toEqual([]);
    await b.stop('SIGTERM');
  });

  it('never lets another server start the job of a handler that ignores its signal before its process is gone', async () => {
    const d = await startServer({ JOBS_SHUTDOWN_GRACE_MS: '300' });
    const [ignoring, honouring] = await enqueue([STUCK, LONG]);
    await waitFor('D to run both jobs', async () => (await runningOn(d)) === 2, { timeoutMs: 10_000, intervalMs: 20 });
    // B runs while D shuts down and claims eagerly (short poll): a row handed back too early would start on B at once.
    const b = await startServer({ JOBS_POLL_INTERVAL_MS: '50' });

    const { code, signal } = await d.stop('SIGTERM');
    await recordKill(database, d.pid);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    // At the exit the row was still D's and leased beyond that moment: B could not have started it yet.
    const [held] = await database.query(
      `SELECT j.status, split_part(j.worker_id, ':', 2)::int AS pid, j.locked_until > k.killed_at AS leased_past_exit
         FROM jobs.jobs j, test_killed_pids k WHERE j.id = $1 AND k.pid = $2`,
      [ignoring, d.pid],
    );
    expect(held).toEqual({ status: 'processing', pid: d.pid, leased_past_exit: true });

    await waitCompleted([ignoring, honouring], LEASE_MS + 10_000);
    const [stuckRun, nextRun] = await executionsOf([ignoring]);
    expect(stuckRun).toMatchObject({ pid: d.pid, ended_at: null });
    expect(nextRun).toMatchObject({ pid: b.pid });
    const [{ gap_ms }] = await database.query<{ gap_ms: number }>(
      `SELECT (extract(epoch FROM $1::timestamptz - killed_at) * 1000)::float8 AS gap_ms FROM test_killed_pids WHERE pid = $2`,
      [nextRun.started_at, d.pid],
    );
    console.log(`[worker-shutdown] a signal-ignoring handler's job started elsewhere ${Math.round(gap_ms)} ms after its process exited`);
    expect(gap_ms).toBeGreaterThan(0);
    const [honoured] = await jobs([honouring]);
    expect(honoured).toMatchObject({ status: 'completed', attempts: 1, errors: [], result: { pid: b.pid } });
    expect(await overlappingExecutions(database)).toEqual([]);
  });
});
