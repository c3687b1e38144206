import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobHandler, Scheduled, type ScheduleDefinition } from '../src/jobs/index.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/**
 * Issue 4, point 3: the `missed` and `overlap` policies, and where schedules fire. In-process `JobsModule`
 * applications on a fresh database each; "downtime" is a real gap with no application running.
 */

@Injectable()
class NoopHandlers {
  @JobHandler('test.noop')
  noop(): string {
    return 'ok';
  }
}

/** Runs until the test releases it, so that a schedule's previous run is still processing. */
@Injectable()
class BlockingHandlers {
  static release?: () => void;
  static released: Promise<void>;

  static reset(): void {
    BlockingHandlers.released = new Promise<void>((resolve) => (BlockingHandlers.release = resolve));
  }

  @JobHandler('test.block')
  async block(): Promise<string> {
    await BlockingHandlers.released;
    return 'released';
  }
}

interface FireRow {
  schedule_name: string;
  fire_time: Date;
  outcome: string;
  job_id: string | null;
  missed_from: Date | null;
  detail: string | null;
}

let database: TestDatabase;
const apps: JobsTestApp[] = [];

const start = async (options: Partial<Parameters<typeof startJobsTestApp>[0]>): Promise<JobsTestApp> => {
  const app = await startJobsTestApp({ url: database.url, handlers: [NoopHandlers, BlockingHandlers], ...options });
  apps.push(app);
  return app;
};
const stop = async (app: JobsTestApp): Promise<void> => {
  apps.splice(apps.indexOf(app), 1);
  await app.close();
};
const firesOf = (name: string): Promise<FireRow[]> =>
  database.query<FireRow>(`SELECT * FROM jobs.schedule_fires WHERE schedule_name = $1 ORDER BY fire_time`, [name]);
const jobsOf = (name: string) =>
  database.query<{ id: string; run_at: Date; status: string; key: string }>(
    `SELECT id, run_at, status, key FROM jobs.jobs WHERE key LIKE $1 ORDER BY run_at, id`,
    [`schedule:${name}%`],
  );
const everySecond = (name: string, extra: Partial<ScheduleDefinition> = {}): ScheduleDefinition => ({
  name,
  cron: '* * * * * *',
  jobName: 'test.noop',
  ...extra,
});

/**
 * Every second from the first decided tick to the last is decided exactly once: by its own fire row, or inside
 * the missed range (`missed_from` … `fire_time`) of one. Returns the seconds covered by missed ranges.
 */
function expectEveryTickDecidedOnce(fires: FireRow[]): number {
  const seen = new Map<number, number>();
  let missedSeconds = 0;
  for (const fire of fires) {
    const from = (fire.missed_from ?? fire.fire_time).getTime();
    for (let second = from; second <= fire.fire_time.getTime(); second += 1_000) {
      seen.set(second, (seen.get(second) ?? 0) + 1);
      if (fire.missed_from) missedSeconds += 1;
    }
  }
  const first = fires[0].missed_from ?? fires[0].fire_time;
  const last = fires[fires.length - 1].fire_time;
  for (let second = first.getTime(); second <= last.getTime(); second += 1_000) {
    expect(seen.get(second), new Date(second).toISOString()).toBe(1);
  }
  return missedSeconds;
}

beforeEach(async () => {
  BlockingHandlers.reset();
  database = await createTestDatabase();
});

afterEach(async () => {
  BlockingHandlers.release?.();
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await database?.drop();
});

describe('missed ticks', () => {
  it("'skip' drops and 'runOnce' fires once the ticks missed while no container ran", async () => {
    const schedules = [everySecond('missed.skip', { missed: 'skip' }), everySecond('missed.once', { missed: 'runOnce' })];
    const options = { schedules, processing: {}, scheduling: { missedToleranceMs: 1_000 } };
    let app = await start(options);
    await waitFor('both schedules to fire', async () => {
      const [skip, once] = await Promise.all([firesOf('missed.skip'), firesOf('missed.once')]);
      return skip.length > 0 && once.length > 0;
    });
    await stop(app);
    // No container runs for 3 s: ticks older than the 1 s tolerance are missed ones.
    await sleep(3_000);
    const restartedAt = Date.now();
    app = await start(options);
    await waitFor('ticks after the restart', async () => {
      const [skip, once] = await Promise.all([firesOf('missed.skip'), firesOf('missed.once')]);
      return [skip, once].every((fires) => fires.some((fire) => fire.fire_time.getTime() > restartedAt + 1_000));
    });
    await stop(app);

    const skip = await firesOf('missed.skip');
    const skipped = skip.filter((fire) => fire.outcome === 'skipped_missed');
    expect(skipped).toHaveLength(1);
    expect(skipped[0].job_id).toBeNull();
    expect(expectEveryTickDecidedOnce(skip)).toBeGreaterThanOrEqual(2);
    // Every other tick has its job; none for the missed ones.
    const skipJobs = await jobsOf('missed.skip');
    expect(skipJobs.map((job) => job.run_at.getTime())).toEqual(
      skip.filter((fire) => fire.outcome === 'enqueued').map((fire) => fire.fire_time.getTime()),
    );

    const once = await firesOf('missed.once');
    expect(once.some((fire) => fire.outcome === 'skipped_missed')).toBe(false);
    const catchUp = once.filter((fire) => fire.missed_from !== null);
    expect(catchUp).toHaveLength(1);
    expect(catchUp[0].outcome).toBe('enqueued');
    expect(expectEveryTickDecidedOnce(once)).toBeGreaterThanOrEqual(2);
    const onceJobs = await jobsOf('missed.once');
    expect(onceJobs).toHaveLength(once.length);
    expect(onceJobs.map((job) => job.id)).toContain(catchUp[0].job_id);
    expect(onceJobs.find((job) => job.id === catchUp[0].job_id)!.run_at).toEqual(catchUp[0].fire_time);
  });

  it('years of missed yearly ticks: skip records them, runOnce runs one job for the latest', async () => {
    const yearly = (name: string, missed: 'skip' | 'runOnce'): ScheduleDefinition =>
      ({ name, cron: '0 0 0 1 1 *', jobName: 'test.noop', missed });
    const schedules = [yearly('yearly.skip', 'skip'), yearly('yearly.once', 'runOnce')];
    const idle = await start({ schedules });
    await waitFor('the code schedules to be synced', async () => (await idle.schedules.list()).length === 2);
    await stop(idle);
    // As the database would be had every container been down since 2021-01-01.
    await database.query(`UPDATE jobs.schedules SET next_fire_at = '2021-01-01T00:00:00Z'`);
    const app = await start({ schedules, processing: {} });
    await waitFor('both to be decided', async () => {
      const rows = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs.schedules WHERE next_fire_at > now()`);
      return rows[0].n === 2;
    });
    const thisYear = new Date(Date.UTC(new Date().getUTCFullYear(), 0, 1));
    const nextYear = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1));
    const [skipFire] = await firesOf('yearly.skip');
    const since2021 = new Date('2021-01-01T00:00:00Z');
    expect(skipFire).toMatchObject({ outcome: 'skipped_missed', job_id: null, fire_time: thisYear, missed_from: since2021 });
    expect(await jobsOf('yearly.skip')).toEqual([]);
    const onceFires = await firesOf('yearly.once');
    expect(onceFires).toHaveLength(1);
    expect(onceFires[0]).toMatchObject({ outcome: 'enqueued', fire_time: thisYear, missed_from: since2021 });
    const onceJobs = await jobsOf('yearly.once');
    expect(onceJobs).toHaveLength(1);
    expect(onceJobs[0].run_at).toEqual(thisYear);
    const schedulesNow = await app.schedules.list();
    for (const schedule of schedulesNow) expect(schedule.nextFireAt).toBe(nextYear.toISOString());
  });
});

describe('overlapping runs', () => {
  it("'skip' waits for the previous run to finish; 'allow' starts one per tick", async () => {
    const block = (name: string, overlap: 'skip' | 'allow'): ScheduleDefinition =>
      ({ name, cron: '* * * * * *', jobName: 'test.block', overlap });
    const app = await start({ schedules: [block('block.skip', 'skip'), block('block.allow', 'allow')], processing: { concurrency: 20 } });
    await waitFor(
      'three ticks of each',
      async () => (await firesOf('block.skip')).length >= 3 && (await firesOf('block.allow')).length >= 3,
      { timeoutMs: 10_000 },
    );

    const allowJobs = await jobsOf('block.allow');
    expect(allowJobs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(allowJobs.map((job) => job.key)).size).toBe(allowJobs.length);
    const skipJobs = await jobsOf('block.skip');
    expect(skipJobs).toHaveLength(1);
    expect(skipJobs[0].status).toMatch(/pending|processing/);
    const skipFires = await firesOf('block.skip');
    expect(skipFires[0]).toMatchObject({ outcome: 'enqueued', job_id: skipJobs[0].id });
    for (const fire of skipFires.slice(1)) {
      expect(fire).toMatchObject({ outcome: 'skipped_overlap', job_id: null });
      expect(fire.detail).toContain(`job ${skipJobs[0].id}`);
    }
    // A manual trigger meets the same rule: the running job comes back, nothing new is created.
    const triggered = await app.schedules.trigger('block.skip');
    expect(triggered.created).toBe(false);
    expect(triggered.job.id).toBe(skipJobs[0].id);
    const allowTriggered = await app.schedules.trigger('block.allow');
    expect(allowTriggered.created).toBe(true);

    // Once the run finishes, the next tick runs again.
    BlockingHandlers.release!();
    await waitFor('a second run of block.skip', async () => (await jobsOf('block.skip')).length === 2, { timeoutMs: 5_000 });
    const runs = (await app.schedules.get('block.skip')).lastRuns;
    expect(runs[0]).toMatchObject({ outcome: 'enqueued', jobId: expect.any(String) });
  });
});

describe('where schedules fire', () => {
  it('a process with processing disabled lists schedules but never fires them', async () => {
    const app = await start({ schedules: [everySecond('api.only')] });
    await waitFor('the code schedule to be synced', async () => (await app.schedules.list()).length === 1);
    await sleep(2_500);
    expect(await firesOf('api.only')).toEqual([]);
    expect(await jobsOf('api.only')).toEqual([]);
    const [schedule] = await app.schedules.list();
    expect(schedule).toMatchObject({ name: 'api.only', source: 'code', enabled: true, declaredIn: 'JobsModule options (schedules)' });
    expect(new Date(schedule.nextFireAt!).getTime()).toBeLessThan(Date.now());
  });
});
