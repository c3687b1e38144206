import { Injectable } from '@nestjs/common';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidJobInputError, JobHandler } from '../src/jobs/index.js';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { expectApiError, nestedArrays, send } from './support/hostile-requests.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

/**
 * Issue 3, point 5: every limit with its error, set through its environment variable on real servers (and the
 * `JobsModule` options for library users). Both servers execute nothing (JOBS_SERVER_DISABLED), so the tables
 * change only through the requests made here.
 */

const RATE_LIMIT = 5;
const WINDOW_MS = 3_000;
const TIMEOUT_MS = 500;
const LATER = { delayMs: 600_000 };

let database: TestDatabase;
let limited: AppProcess;
let bounded: AppProcess;

const jobCount = async (): Promise<number> =>
  (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM jobs.jobs'))[0].count;

beforeAll(async () => {
  database = await createTestDatabase();
  const common = { DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true' };
  [limited, bounded] = await Promise.all([
    startAppProcess({
      env: { ...common, HTTP_RATE_LIMIT: String(RATE_LIMIT), HTTP_RATE_LIMIT_WINDOW_MS: String(WINDOW_MS), HTTP_TRUST_PROXY_HOPS: '1' },
    }),
    startAppProcess({
      env: {
        ...common,
        JOBS_MAX_BATCH_SIZE: '5',
        JOBS_MAX_PAGE_SIZE: '20',
        JOBS_MAX_PAYLOAD_DEPTH: '4',
        HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([limited?.stop(), bounded?.stop()]);
  await database?.drop();
});

describe('rate limit (HTTP_RATE_LIMIT per HTTP_RATE_LIMIT_WINDOW_MS, per client)', () => {
  /** A request from the client at `ip`, as the one trusted proxy (HTTP_TRUST_PROXY_HOPS=1) reports it. */
  const from = (ip: string, method: string, route: string, body?: unknown) =>
    fetch(`${limited.baseUrl}${route}`, {
      method,
      headers: { 'x-forwarded-for': ip, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('counts every API route of a client together, then answers 429 with Retry-After; health is never limited', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/jobs'],
      ['GET', '/schedules'],
      ['POST', '/jobs', { name: 'demo.echo', ...LATER }],
      ['GET', '/jobs?limit=1'],
      ['POST', '/demo/echo', { hi: 1 }],
    ];
    for (const [method, route, body] of routes) expect((await from('10.0.0.1', method, route, body)).status).toBeLessThan(300);
    const before = await jobCount();
    const refused = await from('10.0.0.1', 'POST', '/jobs', { name: 'demo.echo', ...LATER });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expectApiError(await refused.json(), 429, undefined, /more than 5 requests in 3000 ms .*HTTP_RATE_LIMIT.*retry after \d+ s/);
    expect(await jobCount()).toBe(before);

    for (let probe = 0; probe < 10; probe++) {
      expect((await from('10.0.0.1', 'GET', '/health/live')).status).toBe(200);
      expect((await from('10.0.0.1', 'GET', '/health')).status).toBe(200);
    }
    expect((await from('10.0.0.1', 'GET', '/jobs')).status).toBe(429);
    // Another client has a budget of its own.
    expect((await from('10.0.0.2', 'GET', '/jobs')).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    expect((await from('10.0.0.1', 'GET', '/jobs')).status).toBe(200);
  });

  it('is off by default: the other server takes a burst of requests from one client', async () => {
    const statuses = await Promise.all(Array.from({ length: 40 }, () => fetch(`${bounded.baseUrl}/jobs?limit=1`).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

describe('bounds on batches, pages and payload depth', () => {
  const api = (method: string, route: string, body?: unknown) => send(bounded.baseUrl, { method, route, body });
  const jobs = (count: number, payload: unknown = 1) => Array.from({ length: count }, () => ({ name: 'demo.echo', payload, ...LATER }));

  it('POST /jobs/batch: up to JOBS_MAX_BATCH_SIZE jobs (5), 400 naming jobs beyond, nothing stored', async () => {
    expect((await api('POST', '/jobs/batch', { jobs: jobs(5) })).body.jobs).toHaveLength(5);
    const before = await jobCount();
    const { status, body } = await api('POST', '/jobs/batch', { jobs: jobs(6) });
    expect(status).toBe(400);
    expectApiError(body, 400, 'jobs', /at most 5 .*JOBS_MAX_BATCH_SIZE/);
    // 200,000 jobs are refused on their count, before any is validated: a 400, not a 408 after TIMEOUT_MS.
    const huge = await api('POST', '/jobs/batch', `{"jobs":[${Array(200_000).fill('{}').join(',')}]}`);
    expect(huge.status).toBe(400);
    expect(huge.body.field).toBe('jobs');
    expect(await jobCount()).toBe(before);
  });

  it('GET /jobs: limit up to JOBS_MAX_PAGE_SIZE (20), 400 naming limit beyond', async () => {
    expect((await api('GET', '/jobs?limit=20')).status).toBe(200);
    const { status, body } = await api('GET', '/jobs?limit=21');
    expect(status).toBe(400);
    expectApiError(body, 400, 'limit', /from 1 to 20 \(JOBS_MAX_PAGE_SIZE\)/);
  });

  it('payloads up to JOBS_MAX_PAYLOAD_DEPTH levels (4), 400 naming the payload beyond, on every route that takes one', async () => {
    const ok = JSON.parse(nestedArrays(4));
    const deep = JSON.parse(nestedArrays(5));
    expect((await api('POST', '/jobs', { name: 'demo.echo', payload: ok, ...LATER })).status).toBe(201);
    const before = await jobCount();
    const refusals: Array<[string, string, unknown, string]> = [
      ['POST', '/jobs', { name: 'demo.echo', payload: deep }, 'payload'],
      ['POST', '/jobs/batch', { jobs: [{ name: 'demo.echo', payload: ok }, { name: 'demo.echo', payload: deep }] }, 'jobs[1].payload'],
      ['POST', '/schedules', { name: 'deep.one', cron: '0 0 1 1 *', jobName: 'demo.echo', payload: { a: deep } }, 'payload'],
      ['POST', '/demo/echo', { a: [[[[1]]]] }, 'payload'],
    ];
    for (const [method, route, body, field] of refusals) {
      const response = await api(method, route, body);
      expect(response.status, `${route}: ${JSON.stringify(response.body)}`).toBe(400);
      expectApiError(response.body, 400, field, /nests deeper than 4 levels \(JOBS_MAX_PAYLOAD_DEPTH\)/);
    }
    expect(await jobCount()).toBe(before);
  });

  it('a body 100,000 levels deep is a 400 on every JSON route, never a crash or a 500', async () => {
    const body = nestedArrays(100_000);
    const routes: Array<[string, string]> = [
      ['POST', '/jobs'],
      ['POST', '/jobs/batch'],
      ['POST', '/schedules'],
      ['PATCH', '/schedules/jobs.prune'],
      ['POST', '/demo/echo'],
      ['POST', '/demo/sleep'],
      ['POST', '/demo/fail'],
    ];
    for (const [method, route] of routes) {
      const response = await api(method, route, body);
      expect(response.status, `${method} ${route}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.field).toMatch(/^(body|payload)$/);
    }
    expect((await api('GET', '/health/live')).status).toBe(200);
  });
});

describe('request timeout (HTTP_REQUEST_TIMEOUT_MS)', () => {
  it('answers 408 when the database holds a request up; the insert may still land, and a repeat with its key finds it', async () => {
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE jobs.jobs IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      // Without a timeout the requests would wait for the lock, which is released only below: give up first.
      const signal = AbortSignal.timeout(10_000);
      const [created, listed] = await Promise.all([
        send(bounded.baseUrl, { method: 'POST', route: '/jobs', body: { name: 'demo.echo', key: 'after-408', ...LATER } }, signal),
        send(bounded.baseUrl, { method: 'GET', route: '/jobs' }, signal),
      ]);
      const elapsed = Date.now() - started;
      expect([created.status, listed.status]).toEqual([408, 408]);
      expectApiError(created.body, 408, undefined, /no answer within 500 ms \(HTTP_REQUEST_TIMEOUT_MS\).*may still take effect/);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 3_000);
      // The process itself is not held up.
      expect((await send(bounded.baseUrl, { method: 'GET', route: '/health/live' })).status).toBe(200);
    } finally {
      await blocker.query('COMMIT').catch(() => undefined);
      await blocker.end();
    }
    // What the README documents: a 408 means "outcome unknown". Here the insert completes once the lock is gone…
    const [row] = await waitFor('the timed-out insert to land', async () =>
      database.query<{ id: string }>(`SELECT id::text FROM jobs.jobs WHERE key = 'after-408'`).then((rows) => (rows.length ? rows : undefined)),
    );
    // …and repeating the request with the same dedup key returns that job instead of adding one.
    const repeated = await send(bounded.baseUrl, { method: 'POST', route: '/jobs', body: { name: 'demo.echo', key: 'after-408', ...LATER } });
    expect(repeated.status).toBe(200);
    expect(repeated.body.id).toBe(row.id);
    expect((await database.query(`SELECT id FROM jobs.jobs WHERE key = 'after-408'`)).length).toBe(1);
  });
});

@Injectable()
class LimitHandlers {
  @JobHandler('test.limits')
  run(): null {
    return null;
  }
}

describe('the same bounds for library users (JobsModule options)', () => {
  let app: JobsTestApp;
  let libraryDatabase: TestDatabase;

  beforeAll(async () => {
    libraryDatabase = await createTestDatabase();
    app = await startJobsTestApp({
      url: libraryDatabase.url,
      handlers: [LimitHandlers],
      limits: { maxBatchSize: 5, maxPageSize: 20, maxPayloadDepth: 4 },
    });
  });

  afterAll(async () => {
    await app?.close();
    await libraryDatabase?.drop();
  });

  const refusal = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('accepted'), (error: unknown) => error);

  it('enqueueMany beyond maxBatchSize, list beyond maxPageSize, payloads beyond maxPayloadDepth or cyclic', async () => {
    const many = Array.from({ length: 6 }, () => ({ name: 'test.limits' }));
    expect(await refusal(app.jobs.enqueueMany(many))).toMatchObject({ field: 'jobs', message: expect.stringMatching(/at most 5/) });
    expect(await refusal(app.jobs.list({ limit: 21 }))).toMatchObject({ field: 'limit' });
    let deep: unknown = 1;
    for (let level = 0; level < 1_000_000; level++) deep = { next: deep };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = [cyclic];
    for (const payload of [[[[[[1]]]]], deep, cyclic]) {
      const error = await refusal(app.jobs.enqueue('test.limits', payload));
      expect(error).toBeInstanceOf(InvalidJobInputError);
      expect((error as InvalidJobInputError).field).toBe('payload');
    }
    expect((await app.jobs.enqueueMany(many.slice(0, 5))).length).toBe(5);
    expect((await libraryDatabase.query('SELECT id FROM jobs.jobs')).length).toBe(5);
  });

  it('runAt as strictly as over HTTP: no rolled-over day, no year Postgres or ISO text cannot hold; keys without lone surrogates', async () => {
    for (const runAt of ['2024-02-30T00:00:00Z', new Date(8.64e15), new Date('0000-06-01T00:00:00Z')]) {
      expect(await refusal(app.jobs.enqueue('test.limits', null, { runAt }))).toMatchObject({ field: 'runAt' });
    }
    expect(await refusal(app.jobs.enqueue('test.limits', null, { key: 'k\ud800' }))).toMatchObject({ field: 'key' });
  });
});
