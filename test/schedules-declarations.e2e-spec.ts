import { Injectable, type Provider } from '@nestjs/common';
import { IsEmail } from 'class-validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobHandler, Scheduled, type ScheduleDefinition } from '../src/jobs/index.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/**
 * Issue 4, points 1 and 4: schedules declared in code — `@Scheduled` on a handler, or the `schedules` module option —
 * fail start-up when invalid, naming the schedule and where it is declared; at start-up code owns their
 * definition and the database their `enabled` state.
 */

class Recipient {
  @IsEmail() to!: string;
}

@Injectable()
class ReportHandlers {
  @Scheduled('0 3 * * *', {
    name: 'reports.nightly.eu',
    timezone: 'Europe/Berlin',
    payload: { region: 'eu' },
    missed: 'runOnce',
    overlap: 'skip',
  })
  @Scheduled('0 3 * * *', { name: 'reports.nightly.us', timezone: 'America/New_York', payload: { region: 'us' } })
  @JobHandler('reports.nightly')
  nightly(): void {}

  @Scheduled('*/10 * * * * *')
  @JobHandler('reports.tick')
  tick(): void {}

  @JobHandler('mail.send', { payload: Recipient })
  send(): void {}
}

@Injectable()
class BadCron {
  @Scheduled('61 * * * *', { name: 'bad.cron' })
  @JobHandler('bad.cron')
  run(): void {}
}

@Injectable()
class BadZone {
  @Scheduled('0 3 * * *', { timezone: 'Europe/Berln' })
  @JobHandler('bad.zone')
  run(): void {}
}

@Injectable()
class DuplicateNames {
  @Scheduled('0 3 * * *')
  @Scheduled('0 4 * * *')
  @JobHandler('dup.name')
  run(): void {}
}

@Injectable()
class WithoutHandler {
  @Scheduled('0 3 * * *', { name: 'lonely' })
  run(): void {}
}

let database: TestDatabase;
const apps: JobsTestApp[] = [];

const start = async (handlers: Provider[], schedules?: ScheduleDefinition[]): Promise<JobsTestApp> => {
  const app = await startJobsTestApp({ url: database.url, handlers, schedules });
  apps.push(app);
  return app;
};
const synced = (app: JobsTestApp, count: number) =>
  waitFor(`${count} schedules in the database`, async () => {
    const schedules = await app.schedules.list();
    return schedules.length === count ? schedules : undefined;
  });

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await database?.drop();
});

describe('invalid declarations stop start-up with a message naming them', () => {
  it.each([
    [
      'an invalid cron expression',
      [BadCron],
      undefined,
      /schedule 'bad\.cron' declared in BadCron\.run: cron: '61 \* \* \* \*' is not a valid cron/,
    ],
    [
      'an unknown time zone',
      [BadZone],
      undefined,
      /schedule 'bad\.zone' declared in BadZone\.run: timezone: unknown time zone 'Europe\/Berln'/,
    ],
    [
      'two schedules with one name',
      [DuplicateNames],
      undefined,
      /Two schedules are named 'dup\.name': DuplicateNames\.run and DuplicateNames\.run/,
    ],
    ['@Scheduled without @JobHandler', [WithoutHandler], undefined, /@Scheduled on WithoutHandler\.run needs @JobHandler/],
    [
      'a module-option schedule of an unknown job',
      [ReportHandlers],
      [{ name: 'orphan', cron: '0 3 * * *', jobName: 'no.such.job' }],
      /schedule 'orphan' declared in JobsModule options \(schedules\): job name: no handler is registered for 'no\.such\.job'/,
    ],
    [
      'a payload the handler refuses',
      [ReportHandlers],
      [{ name: 'mail.daily', cron: '0 3 * * *', jobName: 'mail.send', payload: { to: 'not-an-email' } }],
      /schedule 'mail\.daily' declared in JobsModule options \(schedules\): job payload\.to: /,
    ],
  ] as Array<[string, Provider[], ScheduleDefinition[] | undefined, RegExp]>)('%s', async (_case, handlers, schedules, message) => {
    await expect(startJobsTestApp({ url: database.url, handlers, schedules })).rejects.toThrow(message);
  });
});

describe('code schedules at start-up', () => {
  it('are stored with their definition, one per @Scheduled, and appear with their next tick', async () => {
    const mailDaily = { name: 'mail.daily', cron: '30 6 * * 1-5', jobName: 'mail.send', payload: { to: 'ops@example.com' } };
    const app = await start([ReportHandlers], [mailDaily]);
    const schedules = await synced(app, 4);
    expect(schedules.map((schedule) => schedule.name)).toEqual(['mail.daily', 'reports.nightly.eu', 'reports.nightly.us', 'reports.tick']);
    const eu = schedules[1];
    expect(eu).toMatchObject({
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      jobName: 'reports.nightly',
      payload: { region: 'eu' },
      missed: 'runOnce',
      overlap: 'skip',
      enabled: true,
      source: 'code',
      declaredIn: 'ReportHandlers.nightly',
      lastRuns: [],
      lastFireAt: null,
    });
    // 03:00 in Berlin is 01:00 or 02:00 UTC, depending on daylight saving.
    const next = new Date(eu.nextFireAt!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect([1, 2]).toContain(next.getUTCHours());
    expect(schedules[3]).toMatchObject({
      name: 'reports.tick', jobName: 'reports.tick', timezone: 'UTC', missed: 'skip', overlap: 'allow',
    });
  });

  it('keep a pause across restarts while code replaces their definition', async () => {
    let app = await start([ReportHandlers]);
    await synced(app, 3);
    const paused = await app.schedules.update('reports.tick', { enabled: false });
    expect(paused).toMatchObject({ enabled: false, nextFireAt: null });
    // Code owns the definition: only `enabled` changes over the API.
    await expect(app.schedules.update('reports.tick', { cron: '* * * * *' })).rejects.toMatchObject({ name: 'ScheduleConflictError' });
    await expect(app.schedules.remove('reports.tick')).rejects.toMatchObject({ name: 'ScheduleConflictError' });
    await app.close();
    apps.splice(apps.indexOf(app), 1);

    // A "new release" whose code declares reports.tick with another cron and payload: the pause survives.
    @Injectable()
    class NextRelease {
      @Scheduled('0 * * * * *', { name: 'reports.tick', payload: { v: 2 } })
      @JobHandler('reports.tick')
      tick(): void {}
    }
    app = await start([NextRelease]);
    await waitFor('the new definition', async () => (await app.schedules.get('reports.tick')).cron === '0 * * * * *');
    const restarted = await app.schedules.get('reports.tick');
    expect(restarted).toMatchObject({ enabled: false, nextFireAt: null, payload: { v: 2 }, declaredIn: 'NextRelease.tick' });
    // Schedules this release no longer declares stay (older containers may still run them) and may be deleted.
    const orphan = await app.schedules.get('reports.nightly.eu');
    expect(orphan).toMatchObject({ source: 'code', declaredIn: null });
    await app.schedules.remove('reports.nightly.eu');
    await expect(app.schedules.get('reports.nightly.eu')).rejects.toMatchObject({ name: 'ScheduleNotFoundError' });

    const resumed = await app.schedules.update('reports.tick', { enabled: true });
    expect(resumed.enabled).toBe(true);
    expect(new Date(resumed.nextFireAt!).getUTCSeconds()).toBe(0);
  });
});
