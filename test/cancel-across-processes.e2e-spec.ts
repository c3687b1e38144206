import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_ENTRY, http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createExecutionLog, overlappingExecutions } from './support/execution-log.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const SLEEP_MS = 30_000;

/**
 * Issue 2, points 6 and 12: a running job cancelled over HTTP on an API process; the job server that runs it (another
 * process) learns it through NOTIFY, aborts the handler's signal, and never retries the job.
 */
describe('cancelling a running job from another process', () => {
  let database: TestDatabase;
  let api: AppProcess | undefined;
  let worker: AppProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    await createExecutionLog(database);
    const env = { DATABASE_URL: database.url, DEMO_JOBS: 'false' };
    [api, worker] = await Promise.all([
      startAppProcess({ entry: RECORDING_ENTRY, env: { ...env, JOBS_SERVER_DISABLED: 'true' } }),
      // A long lease and sweep: the handler must stop because of the notification, not a heartbeat.
      startAppProcess({
        entry: RECORDING_ENTRY,
        env: { ...env, ONLY_JOB_SERVER: 'true', JOBS_LEASE_MS: '60000', JOBS_POLL_INTERVAL_MS: '200' },
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await database?.drop();
  });

  it('cancels at once, stops the handler on the job server, never retries it, and the server keeps working', async () => {
    const created = await http(api!.baseUrl, 'POST', '/jobs', { name: 'test.record', payload: { sleepMs: SLEEP_MS } });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await waitFor(
      'the job server to start the job',
      async () => (await database.query(`SELECT 1 FROM test_executions WHERE job_id = $1`, [id])).length === 1,
      { timeoutMs: 10_000, intervalMs: 20 },
    );

    const [{ cancelled_at }] = await database.query<{ cancelled_at: Date }>(`SELECT clock_timestamp() AS cancelled_at`);
    const cancelled = await http(api!.baseUrl, 'POST', `/jobs/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: 'cancelled', attempts: 1 });
    expect(cancelled.body.workerId).toContain(`:${worker!.pid}:`);
    const [row] = await database.query(`SELECT status, finished_at FROM jobs.jobs WHERE id = $1`, [id]);
    expect(row.status).toBe('cancelled');
    expect(row.finished_at).not.toBeNull();

    // The handler saw its signal abort: its execution ended long before its sleep would have.
    const [execution] = await waitFor(
      'the handler to stop',
      async () => {
        const rows = await database.query<{ stop_ms: number; run_ms: number }>(
          `SELECT (extract(epoch FROM ended_at - $2::timestamptz) * 1000)::float8 AS stop_ms,
                  (extract(epoch FROM ended_at - started_at) * 1000)::float8 AS run_ms
             FROM test_executions WHERE job_id = $1 AND ended_at IS NOT NULL`,
          [id, cancelled_at],
        );
        return rows.length ? rows : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    console.log(`[cancel] handler stopped ${Math.round(execution.stop_ms)} ms after the cancel request (ran ${Math.round(execution.run_ms)} ms of ${SLEEP_MS})`);
    expect(execution.stop_ms).toBeLessThan(2_000);
    expect(execution.run_ms).toBeLessThan(SLEEP_MS / 3);

    // Once the handler has returned, the job server drops the lease it kept meanwhile.
    await waitFor(
      'the cancelled job to drop its lease',
      async () => (await database.query(`SELECT 1 FROM jobs.jobs WHERE id = $1 AND locked_until IS NULL`, [id])).length === 1,
      { timeoutMs: 5_000, intervalMs: 20 },
    );

    // The server keeps working: a later job completes there, and the cancelled one was not run again meanwhile.
    const later = await http(api!.baseUrl, 'POST', '/jobs', { name: 'test.record', payload: {} });
    expect(later.status).toBe(201);
    const done = await waitFor(
      'the later job to complete',
      async () => {
        const response = await http(api!.baseUrl, 'GET', `/jobs/${later.body.id}`);
        return response.body.status === 'completed' ? response.body : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(done.result).toEqual({ pid: worker!.pid });

    const final = await http(api!.baseUrl, 'GET', `/jobs/${id}`);
    expect(final.body).toMatchObject({ status: 'cancelled', attempts: 1, result: null, errors: [] });
    expect(await database.query(`SELECT attempt FROM test_executions WHERE job_id = $1`, [id])).toEqual([{ attempt: 1 }]);
    expect(await overlappingExecutions(database)).toEqual([]);
  });
});
