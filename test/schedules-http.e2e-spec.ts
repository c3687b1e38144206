import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULED_ENTRY, http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 4, point 4: the schedules HTTP API against one built server (default mode, demo handlers, the fixture's code
 * schedule `test.every-second` set to a daily cron, pruning on). Every refusal is checked for its status, the field
 * it names, and no schedule stored or changed.
 */

const SCHEDULE_FIELDS = [
  'name', 'cron', 'timezone', 'jobName', 'payload', 'missed', 'overlap', 'enabled', 'source', 'declaredIn',
  'nextFireAt', 'lastFireAt', 'lastRuns', 'createdAt', 'updatedAt',
].sort();

let database: TestDatabase;
let server: AppProcess;

const api = (method: string, route: string, body?: unknown) => http(server.baseUrl, method, route, body);
const stored = () => database.query(`SELECT * FROM jobs.schedules ORDER BY name`);

/** Sends the request and checks the refusal: status, error shape, the field named, and the schedules untouched. */
async function expectRefused(method: string, route: string, body: unknown, status: number, field?: string, message?: RegExp) {
  const before = await stored();
  const response = await api(method, route, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  if (field !== undefined) {
    expect(response.body.field).toBe(field);
    expect(response.body.message.startsWith(`${field}: `)).toBe(true);
  }
  if (message) expect(response.body.message).toMatch(message);
  expect(await stored()).toEqual(before);
}

const valid = { name: 'reports.daily', cron: '0 6 * * *', jobName: 'demo.echo', payload: { report: 'daily' } };

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startAppProcess({
    entry: SCHEDULED_ENTRY,
    env: {
      DATABASE_URL: database.url,
      TEST_TICK_CRON: '0 0 3 * * *',
      JOBS_RETENTION_COMPLETED_DAYS: '7',
      JOBS_RETENTION_FAILED_DAYS: '30',
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('GET /schedules', () => {
  it('lists code schedules (the fixture and the built-in prune) with their next fire time', async () => {
    const response = await api('GET', '/schedules');
    expect(response.status).toBe(200);
    const byName = Object.fromEntries((response.body.items as any[]).map((item) => [item.name, item]));
    expect(Object.keys(byName)).toEqual(['jobs.prune', 'test.every-second']);
    expect(Object.keys(byName['test.every-second']).sort()).toEqual(SCHEDULE_FIELDS);
    expect(byName['test.every-second']).toMatchObject({
      cron: '0 0 3 * * *', jobName: 'test.tick', source: 'code', declaredIn: 'TickHandlers.tick', enabled: true, lastRuns: [],
    });
    expect(byName['jobs.prune']).toMatchObject({ cron: '5 * * * *', missed: 'runOnce', overlap: 'skip', source: 'code' });
    for (const item of response.body.items) expect(new Date(item.nextFireAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('answers 404 for an unknown schedule', async () => {
    await expectRefused('GET', '/schedules/no.such', undefined, 404, undefined, /Schedule 'no\.such' not found/);
  });
});

describe('POST /schedules', () => {
  it('creates a schedule with defaults: 201', async () => {
    const response = await api('POST', '/schedules', valid);
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(SCHEDULE_FIELDS);
    expect(response.body).toMatchObject({
      ...valid,
      timezone: 'UTC',
      missed: 'skip',
      overlap: 'allow',
      enabled: true,
      source: 'api',
      declaredIn: null,
      lastRuns: [],
      lastFireAt: null,
    });
    const next = new Date(response.body.nextFireAt);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect([next.getUTCHours(), next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([6, 0, 0]);
  });

  it('creates a paused schedule without a next fire time', async () => {
    const response = await api('POST', '/schedules', { ...valid, name: 'reports.paused', enabled: false, timezone: 'Asia/Kolkata' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ enabled: false, nextFireAt: null, timezone: 'Asia/Kolkata' });
  });

  it('answers 409 for a name that is taken, by an API schedule or one declared in code', async () => {
    await expectRefused('POST', '/schedules', valid, 409, undefined, /already exists/);
    await expectRefused('POST', '/schedules', { ...valid, name: 'test.every-second' }, 409, undefined, /already exists/);
  });

  it.each([
    ['an invalid cron expression', { cron: '0 25 * * *' }, 'cron', /not a valid cron/],
    ['a cron with 4 fields', { cron: '0 6 * *' }, 'cron', /4 fields/],
    ['a cron that never fires', { cron: '0 0 31 2 *' }, 'cron', /never fires/],
    ['no cron', { cron: undefined }, 'cron', undefined],
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }, 'timezone', /unknown time zone/],
    ['an unknown job name', { jobName: 'reports.nope' }, 'jobName', /no handler is registered for 'reports\.nope'/],
    ['a malformed job name', { jobName: 'bad name' }, 'jobName', undefined],
    ['a malformed schedule name', { name: 'has/slash' }, 'name', undefined],
    ['a payload the handler refuses', { jobName: 'demo.sleep', payload: { ms: 'long' } }, 'payload.ms', undefined],
    ['an unknown missed policy', { missed: 'catchUp' }, 'missed', undefined],
    ['an unknown overlap policy', { overlap: 'queue' }, 'overlap', undefined],
    ['a non-boolean enabled', { enabled: 'yes' }, 'enabled', undefined],
    ['an unknown field', { color: 'blue' }, 'color', /should not exist/],
  ])('answers 400 naming the field for %s', async (_case, change, field, message) => {
    await expectRefused('POST', '/schedules', { ...valid, name: 'reports.refused', ...change }, 400, field, message);
  });

  it('answers 400 for a body that is not an object', async () => {
    await expectRefused('POST', '/schedules', [valid], 400, 'body');
  });
});

describe('PATCH /schedules/:name', () => {
  it('changes an API schedule and recomputes its next tick', async () => {
    const response = await api('PATCH', '/schedules/reports.daily', { cron: '30 7 * * *', timezone: 'Europe/Berlin', payload: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ cron: '30 7 * * *', timezone: 'Europe/Berlin', payload: null, jobName: 'demo.echo' });
    const next = new Date(response.body.nextFireAt);
    expect(next.getUTCMinutes()).toBe(30);
    expect([5, 6]).toContain(next.getUTCHours());
  });

  it('pauses and resumes a code schedule', async () => {
    const paused = await api('PATCH', '/schedules/test.every-second', { enabled: false });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: false, nextFireAt: null });
    const resumed = await api('PATCH', '/schedules/test.every-second', { enabled: true });
    expect(resumed.body).toMatchObject({ enabled: true, nextFireAt: expect.any(String) });
  });

  it('answers 409 when changing what code owns of a code schedule', async () => {
    const declared = /declared in code \(TickHandlers\.tick\)/;
    await expectRefused('PATCH', '/schedules/test.every-second', { cron: '* * * * *' }, 409, undefined, declared);
    await expectRefused('PATCH', '/schedules/test.every-second', { payload: { a: 1 }, enabled: false }, 409, undefined, /payload/);
  });

  it.each([
    ['an invalid cron', { cron: 'every day' }, 'cron'],
    ['an unknown time zone', { timezone: 'Nowhere/Town' }, 'timezone'],
    ['an unknown job name', { jobName: 'nope.nope' }, 'jobName'],
    ['the name', { name: 'renamed' }, 'name'],
    ['an empty body', {}, 'body'],
  ])('answers 400 naming the field for %s', async (_case, change, field) => {
    await expectRefused('PATCH', '/schedules/reports.daily', change, 400, field);
  });

  it('answers 404 for an unknown schedule', async () => {
    await expectRefused('PATCH', '/schedules/no.such', { enabled: false }, 404);
  });
});

describe('POST /schedules/:name/trigger', () => {
  it('enqueues the schedule job now: 201 with the job, recorded among its runs', async () => {
    const response = await api('POST', '/schedules/reports.paused/trigger');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'demo.echo', payload: { report: 'daily' }, status: expect.any(String) });
    const schedule = (await api('GET', '/schedules/reports.paused')).body;
    expect(schedule.lastRuns).toEqual([
      expect.objectContaining({ outcome: 'triggered', jobId: response.body.id, firedBy: null, missedFrom: null }),
    ]);
  });

  it("with overlap 'skip', answers 200 with the run still in progress", async () => {
    const sleepy = { name: 'sleepy', cron: '0 0 1 1 *', jobName: 'demo.sleep', payload: { ms: 5_000 }, overlap: 'skip' };
    const created = await api('POST', '/schedules', sleepy);
    expect(created.status).toBe(201);
    const first = await api('POST', '/schedules/sleepy/trigger');
    expect(first.status).toBe(201);
    const second = await api('POST', '/schedules/sleepy/trigger');
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect((await api('POST', `/jobs/${first.body.id}/cancel`)).status).toBe(200);
  });

  it('answers 404 for an unknown schedule', async () => {
    await expectRefused('POST', '/schedules/no.such/trigger', undefined, 404);
  });
});

describe('DELETE /schedules/:name', () => {
  it('answers 409 for a schedule declared in code', async () => {
    await expectRefused('DELETE', '/schedules/test.every-second', undefined, 409, undefined, /declared in code/);
    await expectRefused('DELETE', '/schedules/jobs.prune', undefined, 409, undefined, /declared in code/);
  });

  it('deletes an API schedule (204) and keeps its jobs', async () => {
    const [{ jobs }] = await database.query<{ jobs: number }>(`SELECT count(*)::int AS jobs FROM jobs.jobs`);
    expect((await api('DELETE', '/schedules/reports.paused')).status).toBe(204);
    expect((await api('GET', '/schedules/reports.paused')).status).toBe(404);
    expect(await database.query(`SELECT * FROM jobs.schedule_fires WHERE schedule_name = 'reports.paused'`)).toEqual([]);
    expect((await database.query<{ jobs: number }>(`SELECT count(*)::int AS jobs FROM jobs.jobs`))[0].jobs).toBe(jobs);
  });

  it('answers 404 for an unknown schedule', async () => {
    await expectRefused('DELETE', '/schedules/reports.paused', undefined, 404);
  });
});
