import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULED_ENTRY, http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/**
 * Issue 4, points 2, 4 and 6: one API process (JOBS_SERVER_DISABLED) and three job servers (ONLY_JOB_SERVER) of the
 * built server on one database, each declaring the code schedule `test.every-second` (`* * * * * *`). No leader:
 * every job server evaluates it, the database makes each tick one job. Then pause, restart, resume and runtime
 * changes over HTTP, all without restarting anything for the change to apply.
 */

const SCHEDULE = 'test.every-second';
const WINDOW_TICKS = 10;

describe('schedules across three job servers', () => {
  let database: TestDatabase;
  let api: AppProcess | undefined;
  let workers: AppProcess[] = [];
  const env = (extra: Record<string, string>) => ({ DATABASE_URL: '', DEMO_JOBS: 'false', ...extra });
  const startWorker = () =>
    startAppProcess({ entry: SCHEDULED_ENTRY, env: env({ DATABASE_URL: database.url, ONLY_JOB_SERVER: 'true' }) });
  const call = (method: string, route: string, body?: unknown) => http(api!.baseUrl, method, route, body);
  const pidOf = (workerId: string | null) => Number(workerId?.split(':')[1]);

  beforeAll(async () => {
    database = await createTestDatabase();
    const started = await Promise.allSettled([
      startAppProcess({ entry: SCHEDULED_ENTRY, env: env({ DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true' }) }),
      startWorker(),
      startWorker(),
      startWorker(),
    ]);
    const [first, ...rest] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    api = first;
    workers = rest.filter((worker): worker is AppProcess => worker !== undefined);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
  });

  afterAll(async () => {
    await Promise.all([api, ...workers].map((app) => app?.stop()));
    await database?.drop();
  });

  it(`creates exactly one job per tick for ${WINDOW_TICKS} seconds, none missed, none fired by the API process`, async () => {
    const windowStart = Math.ceil((Date.now() + 1_000) / 1_000) * 1_000;
    const windowEnd = windowStart + (WINDOW_TICKS - 1) * 1_000;
    await sleep(windowEnd - Date.now());
    // A schedule's ticks are decided in order: once the last tick of the window is, all are.
    await waitFor('the last tick of the window to be decided', async () => {
      const [row] = await database.query<{ last: Date | null }>(
        `SELECT max(fire_time) AS last FROM jobs.schedule_fires WHERE schedule_name = $1`,
        [SCHEDULE],
      );
      return row.last !== null && row.last.getTime() >= windowEnd;
    });

    const inWindow = await database.query<{ run_at: Date; n: number }>(
      `SELECT run_at, count(*)::int AS n FROM jobs.jobs WHERE name = 'test.tick' AND run_at BETWEEN $1 AND $2
        GROUP BY run_at ORDER BY run_at`,
      [new Date(windowStart), new Date(windowEnd)],
    );
    const expected = Array.from({ length: WINDOW_TICKS }, (_, index) => ({ run_at: new Date(windowStart + index * 1_000), n: 1 }));
    expect(inWindow).toEqual(expected);

    // Over the whole run, not only the window: no tick twice, and every second from the first fire to the last.
    expect(
      await database.query(`SELECT run_at FROM jobs.jobs WHERE name = 'test.tick' GROUP BY run_at HAVING count(*) > 1`),
    ).toEqual([]);
    const fires = await database.query<{ fire_time: Date; outcome: string; job_id: string; fired_by: string; late_ms: number }>(
      `SELECT fire_time, outcome, job_id, fired_by, extract(epoch FROM decided_at - fire_time) * 1000 AS late_ms
         FROM jobs.schedule_fires WHERE schedule_name = $1 ORDER BY fire_time`,
      [SCHEDULE],
    );
    expect(fires.length).toBeGreaterThanOrEqual(WINDOW_TICKS);
    fires.forEach((fire, index) => {
      expect(fire.outcome).toBe('enqueued');
      if (index > 0) expect(fire.fire_time.getTime() - fires[index - 1].fire_time.getTime()).toBe(1_000);
    });
    const [{ jobs }] = await database.query<{ jobs: number }>(`SELECT count(*)::int AS jobs FROM jobs.jobs WHERE name = 'test.tick'`);
    expect(jobs).toBe(fires.length);

    // Decided by the job servers only, and run by them.
    const workerPids = workers.map((worker) => worker.pid);
    const deciders = new Map<number, number>();
    for (const fire of fires) deciders.set(pidOf(fire.fired_by), (deciders.get(pidOf(fire.fired_by)) ?? 0) + 1);
    for (const pid of deciders.keys()) expect(workerPids).toContain(pid);
    expect(deciders.has(api!.pid)).toBe(false);
    await waitFor('the window jobs to complete', async () => {
      const rows = await database.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs.jobs WHERE name = 'test.tick' AND run_at <= $1 AND status = 'completed'`,
        [new Date(windowEnd)],
      );
      return rows[0].n >= WINDOW_TICKS;
    });
    const runners = await database.query<{ worker_id: string }>(`SELECT DISTINCT worker_id FROM jobs.jobs WHERE worker_id IS NOT NULL`);
    for (const runner of runners) expect(workerPids).toContain(pidOf(runner.worker_id));

    const late = fires.map((fire) => Number(fire.late_ms));
    const byDecider = [...deciders.entries()].map(([pid, n]) => `${pid}:${n}`).join(', ');
    console.log(
      `[schedules] ${fires.length} ticks, ${jobs} jobs; decided by ${byDecider};` +
        ` decided after the tick by ${Math.round(Math.min(...late))}–${Math.round(Math.max(...late))} ms` +
        ` (median ${Math.round(late.sort((a, b) => a - b)[Math.floor(late.length / 2)])} ms)`,
    );
  });

  it('a pause over HTTP stops firing on every job server and survives their restart', async () => {
    const paused = await call('PATCH', `/schedules/${SCHEDULE}`, { enabled: false });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: false, nextFireAt: null, source: 'code' });
    const pausedAt = new Date();
    const firesAfter = async (instant: Date) =>
      (await database.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs.schedule_fires WHERE schedule_name = $1 AND fire_time > $2`,
        [SCHEDULE, instant],
      ))[0].n;
    await sleep(2_500);
    expect(await firesAfter(pausedAt)).toBe(0);

    // A rolling restart: each job server starts again and syncs the code schedule, which stays paused.
    for (const [index, worker] of workers.entries()) {
      await worker.stop();
      workers[index] = await startWorker();
    }
    await sleep(2_000);
    expect(await firesAfter(pausedAt)).toBe(0);
    expect((await call('GET', `/schedules/${SCHEDULE}`)).body).toMatchObject({ enabled: false, nextFireAt: null });

    const resumed = await call('PATCH', `/schedules/${SCHEDULE}`, { enabled: true });
    expect(resumed.status).toBe(200);
    const resumedAt = new Date();
    expect(new Date(resumed.body.nextFireAt).getTime()).toBeGreaterThan(resumedAt.getTime() - 1_000);
    await waitFor('ticks after the resume', async () => (await firesAfter(resumedAt)) >= 2, { timeoutMs: 10_000 });
    // Ticks while paused were not "missed": nothing stands for them.
    const [{ missed }] = await database.query<{ missed: number }>(
      `SELECT count(*)::int AS missed FROM jobs.schedule_fires
        WHERE schedule_name = $1 AND (outcome <> 'enqueued' OR missed_from IS NOT NULL)`,
      [SCHEDULE],
    );
    expect(missed).toBe(0);
    await call('PATCH', `/schedules/${SCHEDULE}`, { enabled: false });
  });

  it('a schedule created and changed over HTTP takes effect on the job servers without a restart', async () => {
    const jobsOf = (version: number) =>
      database.query<{ run_at: Date; worker_id: string | null }>(
        `SELECT run_at, worker_id FROM jobs.jobs WHERE key LIKE 'schedule:http.sync:%' AND payload->>'v' = $1 ORDER BY run_at`,
        [String(version)],
      );
    const created = await call('POST', '/schedules', { name: 'http.sync', cron: '*/2 * * * * *', jobName: 'test.tick', payload: { v: 1 } });
    expect(created.status).toBe(201);
    await waitFor('two even-second jobs', async () => (await jobsOf(1)).length >= 2, { timeoutMs: 10_000 });

    const changed = await call('PATCH', '/schedules/http.sync', { cron: '1-59/2 * * * * *', payload: { v: 2 } });
    expect(changed.status).toBe(200);
    const changedAt = Date.now();
    await waitFor('two odd-second jobs with the new payload', async () => (await jobsOf(2)).length >= 2, { timeoutMs: 10_000 });
    for (const job of await jobsOf(1)) {
      expect(job.run_at.getUTCSeconds() % 2).toBe(0);
      expect(job.run_at.getTime()).toBeLessThanOrEqual(changedAt);
    }
    for (const job of await jobsOf(2)) expect(job.run_at.getUTCSeconds() % 2).toBe(1);

    expect((await call('DELETE', '/schedules/http.sync')).status).toBe(204);
    const deletedAt = new Date();
    await sleep(2_500);
    const [{ after }] = await database.query<{ after: number }>(
      `SELECT count(*)::int AS after FROM jobs.jobs WHERE key LIKE 'schedule:http.sync:%' AND run_at > $1`,
      [deletedAt],
    );
    expect(after).toBe(0);
  });
});
