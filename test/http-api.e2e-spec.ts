import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startAppProcess, type AppProcess } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/**
 * The HTTP API of issue 2, point 9, against one built server (default mode, demo handlers on) and its own database.
 * Every refusal is checked three ways: the status, the error body naming the field, and no row stored.
 */

const MAX_PAYLOAD_BYTES = 2048;
const JOB_FIELDS = [
  'id', 'name', 'queue', 'status', 'priority', 'payload', 'result', 'error', 'errors', 'attempts', 'maxAttempts',
  'runAt', 'progress', 'key', 'workerId', 'createdAt', 'startedAt', 'finishedAt',
].sort();
// Long enough that a delayed job stays pending for the whole file.
const LATER = { delayMs: 600_000 };

let database: TestDatabase;
let server: AppProcess;

const jobCount = async (): Promise<number> =>
  (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM jobs.jobs'))[0].count;

const jobRow = async (id: string) => (await database.query('SELECT * FROM jobs.jobs WHERE id = $1', [id]))[0];

const api = (method: string, route: string, body?: unknown) => http(server.baseUrl, method, route, body);

/** The one error shape of the API: `{ statusCode, error, message, field? }`, `message` a string. */
function expectErrorShape(body: any, status: number): void {
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  expect(Object.keys(body).every((key) => ['statusCode', 'error', 'message', 'field'].includes(key))).toBe(true);
}

/** Sends the request and checks the refusal: status, error shape, the field named, and the jobs table untouched. */
async function expectRefused(
  method: string,
  route: string,
  body: unknown,
  expected: { status?: number; field?: string | RegExp; message?: RegExp },
): Promise<any> {
  const status = expected.status ?? 400;
  const before = await jobCount();
  const response = await api(method, route, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expectErrorShape(response.body, status);
  if (expected.field !== undefined) {
    if (typeof expected.field === 'string') expect(response.body.field).toBe(expected.field);
    else expect(response.body.field).toMatch(expected.field);
    expect(response.body.message).toContain(response.body.field);
  }
  if (expected.message) expect(response.body.message).toMatch(expected.message);
  expect(await jobCount()).toBe(before);
  return response.body;
}

async function waitForStatus(id: string, status: string): Promise<any> {
  return waitFor(`job ${id} to be ${status}`, async () => {
    const { body } = await api('GET', `/jobs/${id}`);
    return body.status === status ? body : undefined;
  }, { timeoutMs: 15_000 });
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startAppProcess({
    env: {
      DATABASE_URL: database.url,
      DEMO_JOBS: 'true',
      JOBS_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
      JOBS_POLL_INTERVAL_MS: '200',
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('POST /jobs', () => {
  it('creates a job (201) with exactly the documented fields, and runs it in this process', async () => {
    const response = await api('POST', '/jobs', { name: 'demo.echo', payload: { greeting: 'hello', n: [1, 2] } });
    expect(response.status).toBe(201);
    const job = response.body;
    expect(Object.keys(job).sort()).toEqual(JOB_FIELDS);
    expect(job.id).toEqual(expect.stringMatching(/^[1-9]\d*$/));
    expect(job).toMatchObject({ name: 'demo.echo', queue: 'default', priority: 0, attempts: 0, key: null, result: null });
    expect(await jobRow(job.id)).toMatchObject({ name: 'demo.echo', payload: { greeting: 'hello', n: [1, 2] } });

    const done = await waitForStatus(job.id, 'completed');
    expect(done.result).toEqual({ greeting: 'hello', n: [1, 2] });
    expect(done.attempts).toBe(1);
    expect(done.progress).toBe(100);
    expect(done.workerId).toContain(`:${server.pid}:`);
    expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
  });

  it('stores every option given', async () => {
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    const { status, body } = await api('POST', '/jobs', {
      name: 'demo.echo', payload: null, queue: 'options-q', priority: -1000, runAt, maxAttempts: 7,
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ queue: 'options-q', priority: -1000, runAt, maxAttempts: 7, status: 'pending' });
    const row = await jobRow(body.id);
    expect(row).toMatchObject({ queue: 'options-q', priority: -1000, max_attempts: 7 });
    expect((row.run_at as Date).toISOString()).toBe(runAt);
  });

  it('returns the live job (200, same id, unchanged) when its dedup key matches', async () => {
    const first = await api('POST', '/jobs', { name: 'demo.echo', payload: { v: 1 }, key: 'dedup-1', ...LATER });
    expect(first.status).toBe(201);
    const second = await api('POST', '/jobs', { name: 'demo.echo', payload: { v: 2 }, key: 'dedup-1' });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.payload).toEqual({ v: 1 });
    const rows = await database.query(`SELECT id, payload FROM jobs.jobs WHERE key = 'dedup-1'`);
    expect(rows).toEqual([{ id: first.body.id, payload: { v: 1 } }]);
  });
});

describe('POST /jobs/batch', () => {
  it('creates every job (201) and returns them in request order', async () => {
    const requests = [
      { name: 'demo.echo', payload: { i: 0 }, queue: 'batch-q', ...LATER },
      { name: 'demo.sleep', payload: { ms: 1 }, queue: 'batch-q', priority: 5, ...LATER },
      { name: 'demo.echo', payload: { i: 2 }, queue: 'batch-q', key: 'batch-key', ...LATER },
    ];
    const { status, body } = await api('POST', '/jobs/batch', { jobs: requests });
    expect(status).toBe(201);
    expect(Object.keys(body)).toEqual(['jobs']);
    expect(body.jobs.map((job: any) => [job.name, job.payload, job.priority, job.key])).toEqual([
      ['demo.echo', { i: 0 }, 0, null],
      ['demo.sleep', { ms: 1 }, 5, null],
      ['demo.echo', { i: 2 }, 0, 'batch-key'],
    ]);
    for (const job of body.jobs) expect(Object.keys(job).sort()).toEqual(JOB_FIELDS);
    const rows = await database.query(`SELECT id FROM jobs.jobs WHERE queue = 'batch-q' ORDER BY id`);
    expect(rows.map((row) => row.id).sort()).toEqual(body.jobs.map((job: any) => job.id).sort());
  });

  it('accepts a body larger than one payload limit when each payload is under it', async () => {
    const payload = { text: 'x'.repeat(MAX_PAYLOAD_BYTES - 100) };
    const jobs = Array.from({ length: 4 }, () => ({ name: 'demo.echo', payload, queue: 'big-batch-q', ...LATER }));
    expect(Buffer.byteLength(JSON.stringify({ jobs }))).toBeGreaterThan(3 * MAX_PAYLOAD_BYTES);
    const { status, body } = await api('POST', '/jobs/batch', { jobs });
    expect(status).toBe(201);
    expect(body.jobs).toHaveLength(4);
    const [{ count }] = await database.query(`SELECT count(*)::int AS count FROM jobs.jobs WHERE queue = 'big-batch-q'`);
    expect(count).toBe(4);
  });
});

describe('GET /jobs and GET /jobs/:id', () => {
  it('filters by status, name and queue, newest first, with keyset paging to nextCursor null', async () => {
    const echo = { name: 'demo.echo', queue: 'list-q', ...LATER };
    const created = await api('POST', '/jobs/batch', {
      jobs: [...Array.from({ length: 5 }, (_, i) => ({ ...echo, payload: { i } })), { ...echo, name: 'demo.sleep', payload: { ms: 5 } }],
    });
    expect(created.status).toBe(201);
    const ids: string[] = created.body.jobs.map((job: any) => job.id);
    const cancelled = await api('POST', `/jobs/${ids[0]}/cancel`);
    expect(cancelled.status).toBe(200);

    const newestFirst = [...ids].sort((a, b) => Number(b) - Number(a));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/jobs?queue=list-q&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { status, body } = await api('GET', query);
      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor']);
      seen.push(...body.items.map((job: any) => job.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(newestFirst);

    const byName = await api('GET', '/jobs?queue=list-q&name=demo.sleep');
    expect(byName.body.items.map((job: any) => job.id)).toEqual([ids[5]]);
    expect(byName.body.nextCursor).toBeNull();
    const byStatus = await api('GET', '/jobs?queue=list-q&status=cancelled');
    expect(byStatus.body.items.map((job: any) => job.id)).toEqual([ids[0]]);
    const pending = await api('GET', '/jobs?queue=list-q&status=pending&name=demo.echo');
    expect(pending.body.items.map((job: any) => job.id)).toEqual(newestFirst.filter((id) => id !== ids[0] && id !== ids[5]));
    const otherQueue = await api('GET', '/jobs?queue=no-such-queue');
    expect(otherQueue.body).toEqual({ items: [], nextCursor: null });
  });

  it('pages 50 by default and up to 500 on request', async () => {
    const jobs = Array.from({ length: 55 }, (_, i) => ({ name: 'demo.echo', payload: { i }, queue: 'page-q', ...LATER }));
    expect((await api('POST', '/jobs/batch', { jobs })).status).toBe(201);
    const byDefault = await api('GET', '/jobs?queue=page-q');
    expect(byDefault.body.items).toHaveLength(50);
    expect(byDefault.body.nextCursor).toEqual(expect.any(String));
    const rest = await api('GET', `/jobs?queue=page-q&cursor=${encodeURIComponent(byDefault.body.nextCursor)}`);
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.nextCursor).toBeNull();
    const all = await api('GET', '/jobs?queue=page-q&limit=500');
    expect(all.body.items).toHaveLength(55);
    expect(all.body.nextCursor).toBeNull();
  });

  it('answers 404 for an unknown id on GET, cancel and retry', async () => {
    for (const [method, route] of [['GET', '/jobs/987654321'], ['POST', '/jobs/987654321/cancel'], ['POST', '/jobs/987654321/retry']]) {
      const body = await expectRefused(method, route, undefined, { status: 404 });
      expect(body.message).toContain('987654321');
    }
  });
});

describe('cancel and retry', () => {
  it('cancels a pending job, refuses what its state does not allow (409), and retries it to completion', async () => {
    const { body: job } = await api('POST', '/jobs', { name: 'demo.echo', payload: { r: 1 }, ...LATER });
    expect((await expectRefused('POST', `/jobs/${job.id}/retry`, undefined, { status: 409 })).message).toMatch(/pending/);

    const cancelled = await api('POST', `/jobs/${job.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: job.id, status: 'cancelled' });
    expect((await jobRow(job.id)).status).toBe('cancelled');
    expect((await expectRefused('POST', `/jobs/${job.id}/cancel`, undefined, { status: 409 })).message).toMatch(/cancelled/);

    const retried = await api('POST', `/jobs/${job.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: job.id, status: 'pending', attempts: 0, finishedAt: null });
    expect(Date.parse(retried.body.runAt)).toBeLessThanOrEqual(Date.now() + 1_000);

    const done = await waitForStatus(job.id, 'completed');
    expect(done.result).toEqual({ r: 1 });
    await expectRefused('POST', `/jobs/${job.id}/cancel`, undefined, { status: 409 });
    await expectRefused('POST', `/jobs/${job.id}/retry`, undefined, { status: 409 });
  });

  it('retries a failed job, keeping its error history', async () => {
    const { body: job } = await api('POST', '/jobs', { name: 'demo.fail', payload: { message: 'boom' }, maxAttempts: 1 });
    const failed = await waitForStatus(job.id, 'failed');
    expect(failed.error.message).toBe('boom');
    expect(failed.errors).toHaveLength(1);
    await expectRefused('POST', `/jobs/${job.id}/cancel`, undefined, { status: 409 });

    const retried = await api('POST', `/jobs/${job.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(retried.body.errors).toHaveLength(1);
    const again = await waitForStatus(job.id, 'failed');
    expect(again.errors.map((error: any) => [error.attempt, error.message])).toEqual([[1, 'boom'], [1, 'boom']]);
  });
});

describe('hostile input: 400 naming the field, nothing stored', () => {
  const echo = { name: 'demo.echo', payload: { a: 1 } };
  const cases: Array<[string, unknown, string | RegExp]> = [
    ['an unknown body field', { ...echo, bogus: 1 }, 'bogus'],
    ['priority as a string', { ...echo, priority: '5' }, 'priority'],
    ['a fractional priority', { ...echo, priority: 1.5 }, 'priority'],
    ['priority out of range', { ...echo, priority: 5000 }, 'priority'],
    ['maxAttempts 0', { ...echo, maxAttempts: 0 }, 'maxAttempts'],
    ['a negative delayMs', { ...echo, delayMs: -1 }, 'delayMs'],
    ['runAt that is no date', { ...echo, runAt: 'tomorrow' }, 'runAt'],
    ['runAt and delayMs together', { ...echo, runAt: '2030-01-01T00:00:00Z', delayMs: 5 }, /^(runAt|delayMs)$/],
    ['a numeric name', { name: 123 }, 'name'],
    ['a name with NUL', { name: 'demo\u0000echo' }, 'name'],
    ['a name of 129 characters', { name: 'a'.repeat(129) }, 'name'],
    ['a name with spaces', { name: 'demo echo' }, 'name'],
    ['no name', { payload: {} }, 'name'],
    ['a queue with spaces', { ...echo, queue: 'my queue' }, 'queue'],
    ['a payload string with NUL', { name: 'demo.echo', payload: 'a\u0000b' }, 'payload'],
    ['a nested payload value with NUL', { name: 'demo.echo', payload: { deep: ['x', { y: 'a\u0000b' }] } }, 'payload'],
    ['a payload key with NUL', { name: 'demo.echo', payload: { 'k\u0000': 1 } }, 'payload'],
    ['a key with NUL', { ...echo, key: 'a\u0000b' }, 'key'],
    ['an empty key', { ...echo, key: '' }, 'key'],
    ['an unknown job name', { name: 'no.such.handler' }, 'name'],
    ['a payload that fails the handler DTO', { name: 'demo.sleep', payload: { ms: 'x' } }, 'payload.ms'],
    ['a payload with a field the handler DTO lacks', { name: 'demo.sleep', payload: { ms: 1, extra: 1 } }, 'payload.extra'],
    ['a JSON array body', [echo], 'body'],
  ];

  it.each(cases)('POST /jobs with %s', async (_, body, field) => {
    await expectRefused('POST', '/jobs', body, { field });
  });

  it('POST /jobs with malformed JSON, a JSON string or an empty body', async () => {
    await expectRefused('POST', '/jobs', '{"name": "demo.echo",', { message: /JSON/ });
    await expectRefused('POST', '/jobs', '"demo.echo"', {});
    await expectRefused('POST', '/jobs', undefined, { field: 'name' });
  });

  it('POST /jobs with a payload over JOBS_MAX_PAYLOAD_BYTES: 413, nothing stored', async () => {
    const body = await expectRefused('POST', '/jobs', { name: 'demo.echo', payload: 'x'.repeat(MAX_PAYLOAD_BYTES) }, { status: 413, field: 'payload' });
    expect(body.message).toContain('JOBS_MAX_PAYLOAD_BYTES');
  });

  it('POST /jobs/batch with one bad element or none: 400 naming the element, nothing stored', async () => {
    const ok = { name: 'demo.echo', payload: { ok: true } };
    await expectRefused('POST', '/jobs/batch', { jobs: [ok, { ...ok, priority: 'x' }] }, { field: 'jobs[1].priority' });
    await expectRefused('POST', '/jobs/batch', { jobs: [ok, ok, { ...ok, bogus: 1 }] }, { field: 'jobs[2].bogus' });
    await expectRefused('POST', '/jobs/batch', { jobs: [ok, { name: 'no.such.handler' }] }, { field: 'jobs[1].name' });
    await expectRefused('POST', '/jobs/batch', { jobs: [ok, ok, { name: 'demo.echo', payload: 'a\u0000b' }] }, { field: 'jobs[2].payload' });
    await expectRefused('POST', '/jobs/batch', { jobs: [ok, { name: 'demo.echo', payload: 'x'.repeat(MAX_PAYLOAD_BYTES) }] }, { status: 413, field: 'jobs[1].payload' });
    await expectRefused('POST', '/jobs/batch', { jobs: [] }, { field: 'jobs' });
    await expectRefused('POST', '/jobs/batch', { jobs: ok }, { field: 'jobs' });
    await expectRefused('POST', '/jobs/batch', { jobs: [ok], extra: 1 }, { field: 'extra' });
  });

  it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999', '9223372036854775808'])(
    'a malformed id %s on GET, cancel and retry',
    async (id) => {
      for (const [method, route] of [['GET', `/jobs/${id}`], ['POST', `/jobs/${id}/cancel`], ['POST', `/jobs/${id}/retry`]]) {
        await expectRefused(method, route, undefined, { field: 'id' });
      }
    },
  );

  it.each([
    ['bogus=1', 'bogus'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['status=bogus', 'status'],
    ['name=demo%20echo', 'name'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('GET /jobs?%s', async (query, field) => {
    await expectRefused('GET', `/jobs?${query}`, undefined, { field });
  });

  it.each([
    ['/demo/sleep', { ms: 'x' }, 'ms'],
    ['/demo/sleep', { ms: -1 }, 'ms'],
    ['/demo/sleep', {}, 'ms'],
    ['/demo/sleep', { ms: 5, extra: 1 }, 'extra'],
    ['/demo/fail', { times: 1 }, 'message'],
    ['/demo/echo', { text: 'a\u0000b' }, 'payload'],
  ])('POST %s with %j', async (route, body, field) => {
    await expectRefused('POST', route, body, { field });
  });

  it('the demo routes enqueue what they are given', async () => {
    const { status, body } = await api('POST', '/demo/sleep', { ms: 10 });
    expect(status).toBe(201);
    expect(body).toMatchObject({ name: 'demo.sleep', payload: { ms: 10 } });
    const done = await waitForStatus(body.id, 'completed');
    expect(done.result).toEqual({ sleptMs: 10 });
  });
});
