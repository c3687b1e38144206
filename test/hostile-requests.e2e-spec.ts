import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { expectRefusedUnchanged, nestedArrays, send, type HostileCase } from './support/hostile-requests.js';

/**
 * Issue 3, point 4, for the jobs routes: hostile requests, each answered with a clear 4xx in the API's error shape,
 * the database left exactly as it was (every table's rows and contents, and the id sequence). The server executes
 * nothing (JOBS_SERVER_DISABLED), so nothing else writes while a case runs. The schedules, demo and health routes
 * are in `hostile-requests-routes.e2e-spec.ts`; what is accepted, and stored exactly, in `hostile-requests-accepted.e2e-spec.ts`.
 */

const MAX_PAYLOAD_BYTES = 4096;
const MAX_BODY_BYTES = 1_048_576;
const LATER = { delayMs: 600_000 };
const echo = { name: 'demo.echo', ...LATER };
const SQL = "'; DROP TABLE jobs.jobs;--";
const OR = '1 OR 1=1';

let database: TestDatabase;
let server: AppProcess;
let pendingId: string;
let cancelledId: string;

/** POST /jobs with `echo` plus `extra` as raw JSON text (so that `1e309` or `__proto__` reach the server as typed). */
const withRaw = (extra: string) => `{"name":"demo.echo","delayMs":600000,${extra}}`;
const post = (name: string, body: unknown, status: number, field?: string | RegExp): HostileCase =>
  ({ name, method: 'POST', route: '/jobs', body, status, field });

const jobsCases: HostileCase[] = [
  // wrong types and missing fields
  post('a numeric name', { name: 123 }, 400, 'name'),
  post('a null name', { name: null }, 400, 'name'),
  post('a name in an array', { name: ['demo.echo'] }, 400, 'name'),
  post('an object name', { name: {} }, 400, 'name'),
  post('no name', { payload: {} }, 400, 'name'),
  post('an empty object', {}, 400, 'name'),
  post('priority as a string', { ...echo, priority: '5' }, 400, 'priority'),
  post('priority as a boolean', { ...echo, priority: true }, 400, 'priority'),
  post('delayMs as a string', { ...echo, delayMs: '100' }, 400, 'delayMs'),
  post('maxAttempts as a string', { ...echo, maxAttempts: '3' }, 400, 'maxAttempts'),
  post('a fractional maxAttempts', { ...echo, maxAttempts: 1.5 }, 400, 'maxAttempts'),
  post('a numeric queue', { ...echo, queue: 5 }, 400, 'queue'),
  post('a numeric key', { ...echo, key: 5 }, 400, 'key'),
  post('runAt as epoch milliseconds', { name: 'demo.echo', runAt: 1_700_000_000_000 }, 400, 'runAt'),
  post('runAt as a boolean', { name: 'demo.echo', runAt: true }, 400, 'runAt'),
  // extra fields, including ones that name internal columns or prototypes
  post('an unknown field', { ...echo, bogus: 1 }, 400, 'bogus'),
  post('a status', { ...echo, status: 'completed' }, 400, 'status'),
  post('an id', { ...echo, id: '1' }, 400, 'id'),
  post('attempts', { ...echo, attempts: 0 }, 400, 'attempts'),
  post('__proto__', withRaw('"__proto__":{"priority":5000}'), 400, '__proto__'),
  post('constructor', withRaw('"constructor":{"name":"x"}'), 400, 'constructor'),
  post('prototype', withRaw('"prototype":1'), 400, 'prototype'),
  // huge numbers
  post('priority 1e309 (Infinity)', withRaw('"priority":1e309'), 400, 'priority'),
  post('priority -1e309', withRaw('"priority":-1e309'), 400, 'priority'),
  post('priority 2^63', withRaw('"priority":9223372036854775808'), 400, 'priority'),
  post('priority "NaN"', { ...echo, priority: 'NaN' }, 400, 'priority'),
  post('priority "Infinity"', { ...echo, priority: 'Infinity' }, 400, 'priority'),
  post('priority 1e-7', withRaw('"priority":1e-7'), 400, 'priority'),
  post('delayMs 1e309', withRaw('"delayMs":1e309').replace('"delayMs":600000,', ''), 400, 'delayMs'),
  post('delayMs 2^63', { name: 'demo.echo', delayMs: 2 ** 63 }, 400, 'delayMs'),
  post('delayMs "NaN"', { name: 'demo.echo', delayMs: 'NaN' }, 400, 'delayMs'),
  post('maxAttempts 2^63', withRaw('"maxAttempts":9223372036854775808'), 400, 'maxAttempts'),
  // out of range
  post('priority 1001', { ...echo, priority: 1001 }, 400, 'priority'),
  post('priority -1001', { ...echo, priority: -1001 }, 400, 'priority'),
  post('maxAttempts 0', { ...echo, maxAttempts: 0 }, 400, 'maxAttempts'),
  post('maxAttempts 1001', { ...echo, maxAttempts: 1001 }, 400, 'maxAttempts'),
  post('a negative delay', { name: 'demo.echo', delayMs: -1 }, 400, 'delayMs'),
  post('a negative fractional delay', { name: 'demo.echo', delayMs: -0.5 }, 400, 'delayMs'),
  post('a delay of more than ten years', { name: 'demo.echo', delayMs: 315_360_000_001 }, 400, 'delayMs'),
  // invalid dates
  ...[
    '2024-02-30T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T24:00:01Z',
    '2024-01-01T00:00:00+25:00',
    '2024-01-01',
    '2024-01-01 00:00:00Z',
    'now',
    '',
  ].map((runAt) => post(`runAt ${JSON.stringify(runAt)}`, { name: 'demo.echo', runAt }, 400, 'runAt')),
  post('runAt and delayMs together', { name: 'demo.echo', runAt: '2030-01-01T00:00:00Z', delayMs: 5 }, 400, /^(runAt|delayMs)$/),
  // names and queues: the pattern is ASCII, so no unicode, whitespace or control character
  ...[
    ['a right-to-left mark', 'demo.echo\u200f'],
    ['a right-to-left override', 'demo\u202eohce.'],
    ['a combining accent', 'demo.echo\u0301'],
    ['a precomposed accent', 'démo.echo'],
    ['an emoji', 'demo.👍'],
    ['fullwidth letters', 'ｄｅｍｏ.echo'],
    ['a zero-width space', 'demo.\u200becho'],
    ['a NUL', 'demo.echo\u0000'],
    ['an escaped NUL', 'demo\\u0000.echo'],
    ['a newline', 'demo.echo\n'],
    ['a leading space', ' demo.echo'],
    ['129 characters', `demo.${'x'.repeat(124)}`],
    ['an SQL fragment', `demo.echo${SQL}`],
    ['1 OR 1=1', OR],
  ].flatMap(([what, text]) => [
    post(`a name with ${what}`, { ...echo, name: text }, 400, 'name'),
    post(`a queue with ${what}`, { ...echo, queue: text }, 400, 'queue'),
  ]),
  post('an unknown job name', { name: 'no.such.handler' }, 400, 'name'),
  // NUL and lone surrogates where Postgres could not store them
  post('a payload string with NUL', { ...echo, payload: 'a\u0000b' }, 400, 'payload'),
  post('a payload key with NUL', { ...echo, payload: { 'k\u0000': 1 } }, 400, 'payload'),
  post('a NUL deep in a payload', { ...echo, payload: { a: [{ b: ['x', 'y\u0000'] }] } }, 400, 'payload'),
  post('a payload with a lone surrogate', withRaw('"payload":"\\ud800"'), 400, 'payload'),
  post('a payload key with a lone surrogate', withRaw('"payload":{"\\udc00":1}'), 400, 'payload'),
  post('a key with NUL', { ...echo, key: 'k\u0000' }, 400, 'key'),
  post('a key with a lone surrogate', withRaw('"key":"k\\ud800"'), 400, 'key'),
  post('a key of 256 characters', { ...echo, key: 'k'.repeat(256) }, 400, 'key'),
  post('a payload that fails the handler DTO', { name: 'demo.sleep', payload: { ms: '1' } }, 400, 'payload.ms'),
  // nesting and size
  post('a payload 33 levels deep', withRaw(`"payload":${nestedArrays(33)}`), 400, 'payload'),
  post('a payload 100,000 levels deep', withRaw(`"payload":${nestedArrays(100_000)}`), 400, 'payload'),
  post('a name 100,000 levels deep', `{"name":${nestedArrays(100_000)}}`, 400, 'name'),
  post('a body 100,000 levels deep', nestedArrays(100_000), 400, 'body'),
  post('a body 600,000 levels deep (over the body limit)', nestedArrays(600_000), 413, 'body'),
  post('a payload over JOBS_MAX_PAYLOAD_BYTES', { ...echo, payload: 'x'.repeat(MAX_PAYLOAD_BYTES) }, 413, 'payload'),
  post('a body over JOBS_MAX_BATCH_BYTES', { ...echo, payload: 'x'.repeat(MAX_BODY_BYTES) }, 413, 'body'),
  // malformed JSON and non-object bodies
  ...[
    '{"name":',
    '{name:"demo.echo"}',
    "{'name':'demo.echo'}",
    '{"name":"demo.echo",}',
    '{"name":"demo.echo"} trailing',
    '{"name":"demo.echo","priority":NaN}',
    '{"name":"demo.echo","payload":undefined}',
    '{"name":"demo\u0000.echo"}',
  ].map((text) => post(`malformed JSON ${JSON.stringify(text)}`, text, 400, 'body')),
  ...['"demo.echo"', 'null', '123', 'true'].map((text) => post(`the JSON value ${text}`, text, 400, 'body')),
  post('a JSON array', [echo], 400, 'body'),
  post('invalid UTF-8 in the name', new Uint8Array([...Buffer.from('{"name":"demo.'), 0xff, 0xfe, ...Buffer.from('"}')]), 400, 'name'),
  // wrong content types
  { ...post('text/plain', JSON.stringify(echo), 415), headers: { 'content-type': 'text/plain' } },
  { ...post('a form', 'name=demo.echo', 415), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  post('multipart/form-data', formData({ name: 'demo.echo' }), 415),
  { ...post('no content type with a body', JSON.stringify(echo), 415), headers: {} },
  { ...post('application/xml', '<job name="demo.echo"/>', 415), headers: { 'content-type': 'application/xml' } },
  { ...post('a JSON-like vendor type', JSON.stringify(echo), 415), headers: { 'content-type': 'application/vnd.api+json' } },
  { ...post('a charset JSON is never sent in', JSON.stringify(echo), 415), headers: { 'content-type': 'application/json; charset=latin1' } },
  { ...post('an unknown Content-Encoding', JSON.stringify(echo), 415), headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' } },
  // unknown query parameters on a route that takes none
  { ...post('a query parameter', echo, 400, 'force'), route: '/jobs?force=1' },
];

function formData(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

const ok = { name: 'demo.echo', payload: { ok: true }, ...LATER };
const batch = (name: string, body: unknown, status: number, field?: string | RegExp): HostileCase =>
  ({ name, method: 'POST', route: '/jobs/batch', body, status, field });

const batchCases: HostileCase[] = [
  batch('no jobs', {}, 400, 'jobs'),
  batch('jobs null', { jobs: null }, 400, 'jobs'),
  batch('jobs an object', { jobs: { 0: ok } }, 400, 'jobs'),
  batch('jobs a string', { jobs: 'demo.echo' }, 400, 'jobs'),
  batch('jobs empty', { jobs: [] }, 400, 'jobs'),
  batch('a number for a job', { jobs: [ok, 1] }, 400, /^jobs/),
  batch('null for a job', { jobs: [ok, null] }, 400, /^jobs/),
  batch('an extra top-level field', { jobs: [ok], atomic: false }, 400, 'atomic'),
  batch('an unknown field in a job', { jobs: [ok, { ...ok, bogus: 1 }] }, 400, 'jobs[1].bogus'),
  batch('__proto__ in a job', `{"jobs":[${JSON.stringify(ok)},{"name":"demo.echo","__proto__":{"x":1}}]}`, 400, 'jobs[1].__proto__'),
  batch('a priority out of range', { jobs: [ok, { ...ok, priority: 1001 }] }, 400, 'jobs[1].priority'),
  batch('priority 1e309', `{"jobs":[${JSON.stringify(ok)},{"name":"demo.echo","priority":1e309}]}`, 400, 'jobs[1].priority'),
  batch('a negative delay', { jobs: [ok, { name: 'demo.echo', delayMs: -5 }] }, 400, 'jobs[1].delayMs'),
  batch('an invalid date', { jobs: [ok, { name: 'demo.echo', runAt: '2024-02-30T00:00:00Z' }] }, 400, 'jobs[1].runAt'),
  batch('a name with an RTL mark', { jobs: [ok, { name: 'demo.echo\u200f' }] }, 400, 'jobs[1].name'),
  batch('an SQL fragment as a name', { jobs: [ok, { name: SQL }] }, 400, 'jobs[1].name'),
  batch('an unknown job name', { jobs: [ok, ok, { name: 'no.such.handler' }] }, 400, 'jobs[2].name'),
  batch('NUL in a payload', { jobs: [ok, { name: 'demo.echo', payload: ['\u0000'] }] }, 400, 'jobs[1].payload'),
  batch('a payload 100,000 levels deep', `{"jobs":[${JSON.stringify(ok)},{"name":"demo.echo","payload":${nestedArrays(100_000)}}]}`, 400, 'jobs[1].payload'),
  batch('a payload over JOBS_MAX_PAYLOAD_BYTES', { jobs: [ok, { name: 'demo.echo', payload: 'x'.repeat(MAX_PAYLOAD_BYTES) }] }, 413, 'jobs[1].payload'),
  batch('malformed JSON', '{"jobs":[{"name":"demo.echo"},]}', 400, 'body'),
  { ...batch('text/plain', JSON.stringify({ jobs: [ok] }), 415), headers: { 'content-type': 'text/plain' } },
];

const listCases: HostileCase[] = [
  ...[
    ['status=bogus', 'status'],
    ['status=PENDING', 'status'],
    [`status=${encodeURIComponent(SQL)}`, 'status'],
    [`status=${encodeURIComponent("pending' OR '1'='1")}`, 'status'],
    ['status=pending&status=failed', 'status'],
    ['status[]=pending', 'status[]'],
    [`name=${encodeURIComponent(OR)}`, 'name'],
    [`name=${encodeURIComponent(SQL)}`, 'name'],
    ['name=demo.echo%00', 'name'],
    ['name=%E2%80%8Fdemo.echo', 'name'],
    [`queue=${encodeURIComponent(SQL)}`, 'queue'],
    ['queue=%00', 'queue'],
    ...['0', '-1', '1e3', '1.5', '501', '9223372036854775808', 'NaN', '', '0x10', '%205'].map((limit) => [`limit=${limit}`, 'limit']),
    [`cursor=${encodeURIComponent(SQL)}`, 'cursor'],
    [`cursor=${encodeURIComponent(OR)}`, 'cursor'],
    [`cursor=${Buffer.from(`j:${OR}`).toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from('j:0').toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from('j:99999999999999999999').toString('base64url')}`, 'cursor'],
    [`cursor=${'A'.repeat(65)}`, 'cursor'],
    ['bogus=1', 'bogus'],
    ['__proto__=1', '__proto__'],
  ].map(([query, field]): HostileCase => ({ name: `?${query}`, method: 'GET', route: `/jobs?${query}`, status: 400, field })),
  { name: 'a body with fields', method: 'GET', route: '/jobs', body: { status: 'pending' }, status: 400, field: 'status' },
];

const BAD_IDS = [OR, SQL, '0', '-1', '1.5', '1e3', '0x10', '01', ' 1', '9223372036854775808', '１', '\u0000', 'null', '[1]'];

const byIdCases = (): HostileCase[] => [
  ...BAD_IDS.flatMap((id) =>
    [
      ['GET', ''],
      ['POST', '/cancel'],
      ['POST', '/retry'],
    ].map(([method, action]): HostileCase => ({
      name: `the id ${JSON.stringify(id)}`,
      method,
      route: `/jobs/${encodeURIComponent(id)}${action}`,
      status: 400,
      field: 'id',
    })),
  ),
  ...['', '/cancel', '/retry'].flatMap((action): HostileCase[] => [
    { name: 'an unknown id', method: action ? 'POST' : 'GET', route: `/jobs/999999${action}`, status: 404 },
    { name: 'a query parameter', method: action ? 'POST' : 'GET', route: `/jobs/${pendingId}${action}?force=true`, status: 400, field: 'force' },
  ]),
  { name: 'a body field', method: 'POST', route: `/jobs/${pendingId}/cancel`, body: { force: true }, status: 400, field: 'force' },
  { name: 'an array body', method: 'POST', route: `/jobs/${pendingId}/cancel`, body: [], status: 400, field: 'body' },
  { name: 'a body field', method: 'POST', route: `/jobs/${cancelledId}/retry`, body: { priority: 1 }, status: 400, field: 'priority' },
  { name: 'text/plain', method: 'POST', route: `/jobs/${pendingId}/cancel`, body: 'now', headers: { 'content-type': 'text/plain' }, status: 415 },
  { name: 'malformed JSON', method: 'POST', route: `/jobs/${pendingId}/cancel`, body: '{', status: 400, field: 'body' },
  { name: 'a finished job', method: 'POST', route: `/jobs/${cancelledId}/cancel`, status: 409 },
  { name: 'a pending job', method: 'POST', route: `/jobs/${pendingId}/retry`, status: 409 },
];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startAppProcess({
    env: {
      DATABASE_URL: database.url,
      JOBS_SERVER_DISABLED: 'true',
      JOBS_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
      JOBS_MAX_BATCH_BYTES: String(MAX_BODY_BYTES),
    },
  });
  pendingId = (await send(server.baseUrl, { method: 'POST', route: '/jobs', body: { ...echo, key: 'seed' } })).body.id;
  cancelledId = (await send(server.baseUrl, { method: 'POST', route: '/jobs', body: echo })).body.id;
  expect((await send(server.baseUrl, { method: 'POST', route: `/jobs/${cancelledId}/cancel` })).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('hostile requests to the jobs routes: a clear 4xx, the database unchanged', () => {
  it.each(jobsCases)('POST /jobs with $name → $status', (hostile) => expectRefusedUnchanged(database, server.baseUrl, hostile));
  it.each(batchCases)('POST /jobs/batch with $name → $status', (hostile) => expectRefusedUnchanged(database, server.baseUrl, hostile));
  it.each(listCases)('GET /jobs with $name → $status', (hostile) => expectRefusedUnchanged(database, server.baseUrl, hostile));
  it('GET /jobs/:id, cancel and retry with malformed ids, unknown ids, extra input and state conflicts', async () => {
    for (const hostile of byIdCases()) {
      await expectRefusedUnchanged(database, server.baseUrl, hostile).catch((error: Error) => {
        throw new Error(`${hostile.method} ${hostile.route} (${hostile.name}): ${error.message}`);
      });
    }
  });
});
