import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_ENTRY, http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createExecutionLog, overlappingExecutions, recordKill } from './support/execution-log.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

interface CompletedJob {
  attempts: number;
  worker_id: string;
  result: unknown;
  errors: Array<{ attempt: number; message: string }>;
}

const LEASE_MS = 2_000;
const SWEEP_MS = 500;
/** Start-up of the claim after the sweep, scheduling on a busy two-core machine. */
const SLACK_MS = 3_000;

/**
 * Issue 2, point 12: a job server killed with SIGKILL mid-job; its job is completed by another within lease + sweep
 * (short lease here), and the execution log shows that no job ever ran twice at once.
 */
describe('a job server killed with SIGKILL', () => {
  let database: TestDatabase;
  let api: AppProcess;
  const servers: AppProcess[] = [];

  const startServer = async (concurrency = 5) => {
    const server = await startAppProcess({
      entry: RECORDING_ENTRY,
      env: {
        DATABASE_URL: database.url,
        DEMO_JOBS: 'false',
        ONLY_JOB_SERVER: 'true',
        JOBS_CONCURRENCY: String(concurrency),
        JOBS_LEASE_MS: String(LEASE_MS),
        JOBS_SWEEP_INTERVAL_MS: String(SWEEP_MS),
        JOBS_POLL_INTERVAL_MS: '200',
      },
    });
    servers.push(server);
    return server;
  };

  const kill = async (server: AppProcess) => {
    await server.stop('SIGKILL');
    await recordKill(database, server.pid);
  };

  const enqueue = async (payload: object, count = 1): Promise<string[]> => {
    const response = await http(api.baseUrl, 'POST', '/jobs/batch', {
      jobs: Array.from({ length: count }, () => ({ name: 'test.record', payload })),
    });
    expect(response.status).toBe(201);
    return (response.body.jobs as Array<{ id: string }>).map((job) => job.id);
  };

  const runningOn = async (server: AppProcess) =>
    (
      await database.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM test_executions WHERE pid = $1 AND ended_at IS NULL`,
        [server.pid],
      )
    )[0].n;

  beforeAll(async () => {
    database = await createTestDatabase();
    await createExecutionLog(database);
    api = await startAppProcess({
      entry: RECORDING_ENTRY,
      env: { DATABASE_URL: database.url, DEMO_JOBS: 'false', JOBS_SERVER_DISABLED: 'true' },
    });
  });

  afterAll(async () => {
    await Promise.all([api, ...servers].map((app) => app?.stop()));
    await database?.drop();
  });

  it('hands a killed server’s job to another within lease + sweep, as attempt 2, never running it twice at once', async () => {
    const a = await startServer();
    // Sleeps in its first run only: the run after the crash is short, so its completion time measures the hand-over.
    const [id] = await enqueue({ sleepMs: 20_000, firstRunOnly: true });
    await waitFor('server A to start the job', async () => (await runningOn(a)) === 1, { timeoutMs: 10_000 });
    // B starts only now, so the job cannot have gone to B first.
    const b = await startServer();
    const [held] = await database.query<{ status: string; worker_id: string; locked_until: Date }>(
      `SELECT status, worker_id, locked_until FROM jobs.jobs WHERE id = $1`,
      [id],
    );
    expect(held.status).toBe('processing');
    expect(held.worker_id.split(':')[1]).toBe(String(a.pid));

    await kill(a);
    const [done] = await waitFor(
      'the job to complete on B',
      async () => {
        const rows = await database.query<CompletedJob>(
          `SELECT attempts, worker_id, result, errors FROM jobs.jobs WHERE id = $1 AND status = 'completed'`,
          [id],
        );
        return rows.length ? rows : undefined;
      },
      { timeoutMs: LEASE_MS + SWEEP_MS + SLACK_MS + 5_000, intervalMs: 25 },
    );
    const [timing] = await database.query<{ handover_ms: number; started_after_lease: boolean }>(
      `SELECT (extract(epoch FROM j.finished_at - k.killed_at) * 1000)::float8 AS handover_ms,
              (SELECT min(started_at) FROM test_executions WHERE job_id = j.id AND attempt = 2) >= $2 AS started_after_lease
         FROM jobs.jobs j, test_killed_pids k WHERE j.id = $1 AND k.pid = $3`,
      [id, held.locked_until, a.pid],
    );
    console.log(`[worker-crash] killed mid-job → completed by another server after ${Math.round(timing.handover_ms)} ms (lease ${LEASE_MS} + sweep ${SWEEP_MS})`);
    expect(timing.handover_ms).toBeLessThan(LEASE_MS + SWEEP_MS + SLACK_MS);
    // The lease, not a guess, decided: the new run began only once the lease A held at the kill had expired.
    expect(timing.started_after_lease).toBe(true);

    expect(done.attempts).toBe(2);
    expect(done.worker_id.split(':')[1]).toBe(String(b.pid));
    expect(done.result).toEqual({ pid: b.pid });
    expect(done.errors).toHaveLength(1);
    expect(done.errors[0]).toMatchObject({ attempt: 1, message: expect.stringMatching(/^Lease expired: worker \S+:\d+:\w+ stopped renewing it/) });
    expect(done.errors[0].message).toContain(held.worker_id);

    const executions = await database.query(
      `SELECT attempt, pid, ended_at IS NOT NULL AS ended FROM test_executions WHERE job_id = $1 ORDER BY started_at`,
      [id],
    );
    expect(executions).toEqual([
      { attempt: 1, pid: a.pid, ended: false },
      { attempt: 2, pid: b.pid, ended: true },
    ]);
    expect(await overlappingExecutions(database)).toEqual([]);
  });

  it('completes every job when one of two servers is killed mid-job and restarted three times under load', async () => {
    const killedPids: number[] = [];
    const ids: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      const victim = await startServer(8);
      ids.push(...(await enqueue({ sleepMs: 200 }, 100)));
      await waitFor(`round ${round + 1}: the victim to run jobs`, async () => (await runningOn(victim)) >= 3, { timeoutMs: 10_000, intervalMs: 20 });
      await kill(victim);
      killedPids.push(victim.pid);
    }
    const restarted = await startServer(8);

    await waitFor(
      `all ${ids.length} jobs to complete`,
      async () => {
        const [row] = await database.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM jobs.jobs WHERE id = ANY($1::bigint[]) AND status = 'completed'`,
          [ids],
        );
        return row.n === ids.length;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    // Each kill interrupted running executions (left open in the log); each of those jobs was finished elsewhere.
    const interrupted = await database.query<{ pid: number; job_id: string; attempts: number; lease_errors: number; final_pid: number }>(
      `SELECT e.pid, e.job_id, j.attempts, split_part(j.worker_id, ':', 2)::int AS final_pid,
              jsonb_array_length(jsonb_path_query_array(j.errors, '$[*] ? (@.message starts with "Lease expired")'))::int AS lease_errors
         FROM test_executions e JOIN jobs.jobs j ON j.id = e.job_id
        WHERE e.ended_at IS NULL AND e.pid = ANY($1::int[])`,
      [killedPids],
    );
    expect(new Set(interrupted.map((row) => row.pid))).toEqual(new Set(killedPids));
    for (const row of interrupted) {
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.lease_errors).toBeGreaterThanOrEqual(1);
      expect(killedPids).not.toContain(row.final_pid);
    }
    const [log] = await database.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM unnest($1::bigint[]) AS wanted(job_id)
        WHERE NOT EXISTS (SELECT 1 FROM test_executions e WHERE e.job_id = wanted.job_id AND e.ended_at IS NOT NULL)`,
      [ids],
    );
    expect(log.missing).toBe(0);
    expect(await overlappingExecutions(database)).toEqual([]);
    expect((await http(restarted.baseUrl, 'GET', '/health')).status).toBe(200);
    console.log(`[worker-crash] kill loop: ${ids.length} jobs, ${interrupted.length} executions cut by 3 kills, all completed`);
  });
});
