import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { databaseFingerprint, expectRefusedUnchanged, nestedArrays, send, type HostileCase } from './support/hostile-requests.js';

/**
 * Issue 3, point 4, for the schedules, demo and health routes (the jobs routes are in `hostile-requests.e2e-spec.ts`):
 * each hostile request gets a clear 4xx in the API's error shape and leaves every table of the `jobs` schema (rows
 * and contents) and its sequences exactly as they were. Nothing executes or fires here (JOBS_SERVER_DISABLED).
 */

const MAX_PAYLOAD_BYTES = 4096;
const SQL = "'; DROP TABLE jobs.jobs;--";
const SCHEDULE = 'seed.schedule';
const schedule = { name: 'new.schedule', cron: '0 0 1 1 *', jobName: 'demo.echo' };

let database: TestDatabase;
let server: AppProcess;

const text = (headers: Record<string, string> = { 'content-type': 'text/plain' }) => ({ headers });
const form = (): FormData => {
  const data = new FormData();
  data.append('name', 'x');
  return data;
};

/** The same four wrong content types for a route that takes a JSON body. */
const wrongContentTypes = (method: string, route: string, body: unknown): HostileCase[] => [
  { name: 'text/plain', method, route, body: JSON.stringify(body), ...text(), status: 415 },
  { name: 'a form', method, route, body: 'a=1', ...text({ 'content-type': 'application/x-www-form-urlencoded' }), status: 415 },
  { name: 'multipart/form-data', method, route, body: form(), status: 415 },
  { name: 'no content type with a body', method, route, body: JSON.stringify(body), headers: {}, status: 415 },
  { name: 'malformed JSON', method, route, body: '{"a":', status: 400, field: 'body' },
  { name: 'a JSON string', method, route, body: '"x"', status: 400, field: 'body' },
];

const BAD_NAMES = [SQL, "x' OR '1'='1", '1 OR 1=1', 'a\u0000b', 'seed.schedule\u200f', 'ｓeed', 'x'.repeat(129), ' seed.schedule'];

const create = (name: string, body: unknown, status: number, field?: string | RegExp): HostileCase =>
  ({ name, method: 'POST', route: '/schedules', body, status, field });
const patch = (name: string, body: unknown, status: number, field?: string | RegExp): HostileCase =>
  ({ name, method: 'PATCH', route: `/schedules/${SCHEDULE}`, body, status, field });

const scheduleCases: HostileCase[] = [
  { name: 'a query parameter', method: 'GET', route: '/schedules?name=x', status: 400, field: 'name' },
  { name: '__proto__ as a query parameter', method: 'GET', route: '/schedules?__proto__=1', status: 400, field: '__proto__' },
  ...BAD_NAMES.flatMap((bad) => {
    const route = `/schedules/${encodeURIComponent(bad)}`;
    return [
      { name: `GET the name ${JSON.stringify(bad)}`, method: 'GET', route, status: 400, field: 'name' },
      { name: `PATCH the name ${JSON.stringify(bad)}`, method: 'PATCH', route, body: { enabled: false }, status: 400, field: 'name' },
      { name: `DELETE the name ${JSON.stringify(bad)}`, method: 'DELETE', route, status: 400, field: 'name' },
      { name: `trigger the name ${JSON.stringify(bad)}`, method: 'POST', route: `${route}/trigger`, status: 400, field: 'name' },
    ];
  }),
  ...['GET', 'PATCH', 'DELETE'].map((method): HostileCase => ({
    name: `${method} an unknown schedule`,
    method,
    route: '/schedules/no.such',
    body: method === 'PATCH' ? { enabled: false } : undefined,
    status: 404,
  })),
  { name: 'trigger an unknown schedule', method: 'POST', route: '/schedules/no.such/trigger', status: 404 },
  { name: 'DELETE with a body field', method: 'DELETE', route: `/schedules/${SCHEDULE}`, body: { force: true }, status: 400, field: 'force' },
  { name: 'DELETE with a query parameter', method: 'DELETE', route: `/schedules/${SCHEDULE}?force=1`, status: 400, field: 'force' },
  { name: 'trigger with a body field', method: 'POST', route: `/schedules/${SCHEDULE}/trigger`, body: { payload: {} }, status: 400, field: 'payload' },
  { name: 'trigger with text/plain', method: 'POST', route: `/schedules/${SCHEDULE}/trigger`, body: 'now', ...text(), status: 415 },
  // POST /schedules
  create('a taken name', { ...schedule, name: SCHEDULE }, 409),
  create('no cron', { name: 'x', jobName: 'demo.echo' }, 400, 'cron'),
  create('no jobName', { name: 'x', cron: '* * * * *' }, 400, 'jobName'),
  create('a numeric name', { ...schedule, name: 5 }, 400, 'name'),
  create('a numeric cron', { ...schedule, cron: 5 }, 400, 'cron'),
  create('an array jobName', { ...schedule, jobName: ['demo.echo'] }, 400, 'jobName'),
  create('enabled as a string', { ...schedule, enabled: 'false' }, 400, 'enabled'),
  create('an unknown missed policy', { ...schedule, missed: 1 }, 400, 'missed'),
  create('an unknown field', { ...schedule, priority: 5 }, 400, 'priority'),
  create('__proto__', `{"name":"x","cron":"* * * * *","jobName":"demo.echo","__proto__":{"enabled":false}}`, 400, '__proto__'),
  create('a name with an RTL mark', { ...schedule, name: 'x\u200f' }, 400, 'name'),
  create('an SQL fragment as a name', { ...schedule, name: SQL }, 400, 'name'),
  create('an SQL fragment in the cron', { ...schedule, cron: `* * * * *${SQL}` }, 400, 'cron'),
  create('an SQL fragment as a time zone', { ...schedule, timezone: `UTC${SQL}` }, 400, 'timezone'),
  create('a cron with NUL', { ...schedule, cron: '* * * * *\u0000' }, 400, 'cron'),
  create('a time zone with NUL', { ...schedule, timezone: 'UTC\u0000' }, 400, 'timezone'),
  create('a cron field out of range', { ...schedule, cron: '99 * * * *' }, 400, 'cron'),
  create('an unknown job name', { ...schedule, jobName: 'no.such' }, 400, 'jobName'),
  create('a payload with NUL', { ...schedule, payload: { a: '\u0000' } }, 400, 'payload'),
  create('a payload 100,000 levels deep', `{"name":"x","cron":"* * * * *","jobName":"demo.echo","payload":${nestedArrays(100_000)}}`, 400, 'payload'),
  create('a payload over JOBS_MAX_PAYLOAD_BYTES', { ...schedule, payload: 'x'.repeat(MAX_PAYLOAD_BYTES) }, 413, 'payload'),
  create('a payload the handler refuses', { ...schedule, jobName: 'demo.sleep', payload: { ms: -1 } }, 400, 'payload.ms'),
  create('a JSON array', [schedule], 400, 'body'),
  create('a body 100,000 levels deep', nestedArrays(100_000), 400, 'body'),
  ...wrongContentTypes('POST', '/schedules', schedule),
  // PATCH /schedules/:name
  patch('an empty object', {}, 400, 'body'),
  patch('enabled as a string', { enabled: 'false' }, 400, 'enabled'),
  patch('a name (not changeable)', { name: 'renamed' }, 400, 'name'),
  patch('an unknown field', { enabled: true, bogus: 1 }, 400, 'bogus'),
  patch('constructor', '{"enabled":true,"constructor":{"x":1}}', 400, 'constructor'),
  patch('an invalid cron', { cron: '* * *' }, 400, 'cron'),
  patch('an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 400, 'timezone'),
  patch('a payload with NUL', { payload: ['\u0000'] }, 400, 'payload'),
  patch('a payload 33 levels deep', `{"payload":${nestedArrays(33)}}`, 400, 'payload'),
  patch('a JSON array', [{ enabled: false }], 400, 'body'),
  ...wrongContentTypes('PATCH', `/schedules/${SCHEDULE}`, { enabled: false }),
];

const demo = (route: string, name: string, body: unknown, status: number, field?: string | RegExp): HostileCase =>
  ({ name, method: 'POST', route: `/demo/${route}`, body, status, field });

const demoCases: HostileCase[] = [
  demo('echo', 'NUL in the body', { a: 'b\u0000' }, 400, 'payload'),
  demo('echo', 'a lone surrogate', '{"a":"\\udfff"}', 400, 'payload'),
  demo('echo', 'a body 33 levels deep', `{"a":${nestedArrays(32)}}`, 400, 'payload'),
  demo('echo', 'a body 100,000 levels deep', nestedArrays(100_000), 400, 'payload'),
  demo('echo', 'a body over JOBS_MAX_PAYLOAD_BYTES', { a: 'x'.repeat(MAX_PAYLOAD_BYTES) }, 413, 'payload'),
  { ...demo('echo', 'a query parameter', {}, 400, 'priority'), route: '/demo/echo?priority=1' },
  ...wrongContentTypes('POST', '/demo/echo', { a: 1 }),
  demo('sleep', 'ms as a string', { ms: '5' }, 400, 'ms'),
  demo('sleep', 'ms 1e309', '{"ms":1e309}', 400, 'ms'),
  demo('sleep', 'ms 2^63', '{"ms":9223372036854775808}', 400, 'ms'),
  demo('sleep', 'ms "NaN"', { ms: 'NaN' }, 400, 'ms'),
  demo('sleep', 'a negative ms', { ms: -1 }, 400, 'ms'),
  demo('sleep', 'no ms', {}, 400, 'ms'),
  demo('sleep', 'an unknown field', { ms: 5, extra: 1 }, 400, 'extra'),
  demo('sleep', '__proto__', '{"ms":5,"__proto__":{"ms":1}}', 400, '__proto__'),
  demo('sleep', 'ms 100,000 levels deep', `{"ms":${nestedArrays(100_000)}}`, 400, 'ms'),
  ...wrongContentTypes('POST', '/demo/sleep', { ms: 5 }),
  demo('fail', 'no message', { times: 1 }, 400, 'message'),
  demo('fail', 'a numeric message', { message: 5 }, 400, 'message'),
  demo('fail', 'a message of 1001 characters', { message: 'x'.repeat(1001) }, 400, 'message'),
  demo('fail', 'a message with NUL', { message: 'a\u0000b' }, 400, 'payload'),
  demo('fail', 'a fractional times', { message: 'x', times: 1.5 }, 400, 'times'),
  demo('fail', 'times -1', { message: 'x', times: -1 }, 400, 'times'),
  ...wrongContentTypes('POST', '/demo/fail', { message: 'x' }),
];

const healthCases: HostileCase[] = [
  { name: 'POST /health', method: 'POST', route: '/health', body: {}, status: 404 },
  { name: 'DELETE /health/live', method: 'DELETE', route: '/health/live', status: 404 },
  { name: 'PUT /health/live', method: 'PUT', route: '/health/live', body: { status: 'down' }, status: 404 },
  { name: 'a text body', method: 'GET', route: '/health', body: 'x', headers: { 'content-type': 'text/plain' }, status: 415 },
];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startAppProcess({
    env: { DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true', JOBS_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) },
  });
  const created = await send(server.baseUrl, { method: 'POST', route: '/schedules', body: { ...schedule, name: SCHEDULE, payload: { a: 1 } } });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('hostile requests to the schedules, demo and health routes: a clear 4xx, the database unchanged', () => {
  it.each(scheduleCases)('$method $route with $name → $status', (hostile) => expectRefusedUnchanged(database, server.baseUrl, hostile));
  it.each(demoCases)('$route with $name → $status', (hostile) => expectRefusedUnchanged(database, server.baseUrl, hostile));
  it.each(healthCases)('health: $name → $status', (hostile) => expectRefusedUnchanged(database, server.baseUrl, hostile));

  it('health probes ignore query junk: 200, and nothing is written', async () => {
    const before = await databaseFingerprint(database);
    for (const route of ['/health/live', '/health']) {
      expect((await send(server.baseUrl, { method: 'GET', route: `${route}?x=${encodeURIComponent(SQL)}` })).status).toBe(200);
    }
    expect(await databaseFingerprint(database)).toBe(before);
  });
});
