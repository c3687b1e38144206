import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS_MIGRATIONS } from '../src/jobs/migrations/index.js';
import { http, startAppProcess, type AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/**
 * The deployment modes of issue 2, point 8, with real environment variables and real processes (the built server):
 * what each mode serves and executes, start-up validation, listening before the database is reachable, JOBS_QUEUES,
 * and migrations when many processes start at once.
 */

const SECRET = 's3cretpw';
const FAST = { JOBS_POLL_INTERVAL_MS: '200', DEMO_JOBS: 'true' };

let database: TestDatabase;
const started: AppProcess[] = [];

async function start(env: Record<string, string>, options: { waitReady?: boolean } = {}): Promise<AppProcess> {
  const app = await startAppProcess({ env, ...options });
  started.push(app);
  return app;
}

/** Starts a process expected to refuse its environment; resolves with its exit code and output. */
async function startupFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const app = await start(env, { waitReady: false });
  const { code } = await app.exited;
  return { code, output: app.output() };
}

async function enqueue(app: AppProcess, body: Record<string, unknown>): Promise<string> {
  const response = await http(app.baseUrl, 'POST', '/jobs', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

async function waitForCompleted(id: string): Promise<Record<string, any>> {
  return waitFor(`job ${id} to complete`, async () => {
    const [row] = await database.query(`SELECT * FROM jobs.jobs WHERE id = $1 AND status = 'completed'`, [id]);
    return row;
  }, { timeoutMs: 15_000 });
}

const withPassword = (url: string): string => {
  const parsed = new URL(url);
  parsed.password = SECRET;
  return parsed.toString();
};

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(started.map((app) => app.stop('SIGKILL')));
  await database?.drop();
});

describe('default mode', () => {
  it('serves the API, reports the processor alive and runs jobs itself', async () => {
    const app = await start({ ...FAST, DATABASE_URL: database.url });
    const health = await http(app.baseUrl, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.details).toMatchObject({ database: { status: 'up' }, schedules: { status: 'up' }, processor: { status: 'up' } });
    expect((await http(app.baseUrl, 'GET', '/jobs')).status).toBe(200);

    const id = await enqueue(app, { name: 'demo.echo', payload: { mode: 'all' } });
    const row = await waitForCompleted(id);
    expect(row.result).toEqual({ mode: 'all' });
    expect(row.worker_id).toContain(`:${app.pid}:`);
    await app.stop();
  });
});

describe('JOBS_SERVER_DISABLED=true beside ONLY_JOB_SERVER=true', () => {
  let api: AppProcess;

  beforeAll(async () => {
    api = await start({ ...FAST, DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true' });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('the API process serves routes and executes nothing; the job server executes and serves only health', async () => {
    const health = await http(api.baseUrl, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.details).toMatchObject({ database: { status: 'up' } });
    // No processor check where no job executes.
    expect(health.body.details).not.toHaveProperty('processor');
    expect((await http(api.baseUrl, 'GET', '/jobs')).status).toBe(200);

    const ids = [
      await enqueue(api, { name: 'demo.echo', payload: { n: 1 } }),
      (await http(api.baseUrl, 'POST', '/demo/echo', { n: 2 })).body.id as string,
    ];
    // Untouched while only the API process runs: the job server boots for a second or more, many of the API
    // process's poll intervals, and the jobs must still be unclaimed when it starts claiming.
    const [{ now: beforeWorker }] = await database.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const worker = await start({ ...FAST, DATABASE_URL: database.url, ONLY_JOB_SERVER: 'true' });

    for (const id of ids) {
      const row = await waitForCompleted(id);
      expect(row.worker_id).toContain(`:${worker.pid}:`);
      expect(row.attempts).toBe(1);
      expect((row.started_at as Date).getTime()).toBeGreaterThan(beforeWorker.getTime());
    }
    const byApi = await database.query(`SELECT id FROM jobs.jobs WHERE worker_id LIKE $1`, [`%:${api.pid}:%`]);
    expect(byApi).toEqual([]);
    // The API process reads what the job server wrote.
    expect((await http(api.baseUrl, 'GET', `/jobs/${ids[0]}`)).body).toMatchObject({ status: 'completed', result: { n: 1 } });

    for (const [method, route] of [
      ['GET', '/jobs'], ['POST', '/jobs'], ['POST', '/jobs/batch'], ['GET', `/jobs/${ids[0]}`],
      ['POST', `/jobs/${ids[0]}/retry`], ['POST', '/demo/echo'], ['POST', '/demo/sleep'],
    ]) {
      const response = await http(worker.baseUrl, method, route, method === 'POST' ? { name: 'demo.echo' } : undefined);
      expect(response.status, `${method} ${route} on the job server`).toBe(404);
    }
    expect((await http(worker.baseUrl, 'GET', '/health/live')).status).toBe(200);
    const workerHealth = await http(worker.baseUrl, 'GET', '/health');
    expect(workerHealth.status).toBe(200);
    expect(workerHealth.body.details).toMatchObject({ database: { status: 'up' }, processor: { status: 'up' } });
    await worker.stop();
  });

  it('keeps a job pending, attempts 0, while only the API process runs', async () => {
    const id = await enqueue(api, { name: 'demo.echo', payload: { idle: true } });
    // Observable intervals instead of a sleep: ten more jobs enqueued and read back one by one through the API
    // process give its (absent) processor ten notifications and many poll intervals to claim the first.
    for (let i = 0; i < 10; i++) await enqueue(api, { name: 'demo.echo', payload: { i }, queue: 'idle-q' });
    await waitFor('the API process to pass several poll intervals', async () => {
      const [{ age }] = await database.query<{ age: number }>(
        `SELECT extract(epoch FROM clock_timestamp() - created_at) * 1000 AS age FROM jobs.jobs WHERE id = $1`, [id]);
      return Number(age) > 5 * Number(FAST.JOBS_POLL_INTERVAL_MS);
    }, { timeoutMs: 5_000 });
    const rows = await database.query(`SELECT status, attempts, worker_id FROM jobs.jobs WHERE id = $1 OR queue = 'idle-q'`, [id]);
    expect(rows).toHaveLength(11);
    for (const row of rows) expect(row).toEqual({ status: 'pending', attempts: 0, worker_id: null });
    await database.query(`DELETE FROM jobs.jobs WHERE id = $1 OR queue = 'idle-q'`, [id]);
  });

  it('a job server with JOBS_QUEUES claims only from its queues', async () => {
    const beta = await enqueue(api, { name: 'demo.echo', payload: { q: 'beta' }, queue: 'beta', priority: -1000 });
    const alpha = await enqueue(api, { name: 'demo.echo', payload: { q: 'alpha' }, queue: 'alpha' });
    const gamma = await enqueue(api, { name: 'demo.echo', payload: { q: 'gamma' }, queue: 'gamma' });
    const worker = await start({ ...FAST, DATABASE_URL: database.url, ONLY_JOB_SERVER: 'true', JOBS_QUEUES: 'alpha, gamma' });

    for (const id of [alpha, gamma]) expect((await waitForCompleted(id)).worker_id).toContain(`:${worker.pid}:`);
    // beta was due first and ranks first by priority: had the worker claimed from every queue, it would have run.
    const [row] = await database.query(`SELECT status, attempts, worker_id FROM jobs.jobs WHERE id = $1`, [beta]);
    expect(row).toEqual({ status: 'pending', attempts: 0, worker_id: null });
    await worker.stop();
    await database.query(`DELETE FROM jobs.jobs WHERE id = $1`, [beta]);
  });
});

describe('start-up validation', () => {
  it('refuses JOBS_SERVER_DISABLED=true with ONLY_JOB_SERVER=true, naming both', async () => {
    const { code, output } = await startupFailure({ DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true', ONLY_JOB_SERVER: 'true' });
    expect(code).toBe(1);
    expect(output).toContain('JOBS_SERVER_DISABLED');
    expect(output).toContain('ONLY_JOB_SERVER');
  });

  // Each process only validates and exits: they run side by side.
  it.concurrent.for([
    ['JOBS_CONCURRENCY', 'abc'],
    ['JOBS_CONCURRENCY', '0'],
    ['PORT', '70000'],
    ['JOBS_SCHEMA', 'Bad-Schema'],
    ['DATABASE_URL', 'mysql://x'],
    ['JOBS_QUEUES', 'alpha,,beta'],
    ['JOBS_LEASE_MS', '10'],
    ['JOBS_MAX_PAYLOAD_BYTES', '1e6'],
    ['ONLY_JOB_SERVER', 'maybe'],
    ['DEMO_JOBS', 'nope'],
    ['LOG_LEVEL', 'loud'],
  ])('exits 1 on %s=%s, naming the variable and never printing the password', async ([name, value], { expect }) => {
    const env: Record<string, string> = { DATABASE_URL: withPassword(database.url), [name]: value };
    const { code, output } = await startupFailure(env);
    expect(code).toBe(1);
    expect(output).toContain(name);
    expect(output).not.toContain(SECRET);
  });

  it('never prints the password of a valid DATABASE_URL, even at LOG_LEVEL=debug', async () => {
    const app = await start({ ...FAST, DATABASE_URL: withPassword(database.url), LOG_LEVEL: 'debug' });
    const id = await enqueue(app, { name: 'demo.echo', payload: { secret: 'none' } });
    await waitForCompleted(id);
    await app.stop();
    expect(app.output()).toMatch(/Connected to postgres/);
    expect(app.output()).not.toContain(SECRET);
  });
});

describe('before the database is reachable', () => {
  let proxy: Server | undefined;
  const sockets = new Set<Socket>();

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  });

  it('listens at once: live 200, ready 503 while it retries, then ready once Postgres answers', async () => {
    const port = await freePort();
    const target = new URL(database.url);
    const url = new URL(withPassword(database.url));
    url.port = String(port);
    const app = await start({ ...FAST, DATABASE_URL: url.toString(), LOG_LEVEL: 'debug' }, { waitReady: false });
    let exited = false;
    void app.exited.then(() => (exited = true));

    await waitFor('the liveness probe', async () => (await http(app.baseUrl, 'GET', '/health/live').catch(() => undefined))?.status === 200, { timeoutMs: 15_000 });
    const notReady = await http(app.baseUrl, 'GET', '/health');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    expect((await http(app.baseUrl, 'GET', '/jobs')).status).toBe(503);
    // Two failed attempts, and the process still up between them.
    await app.waitForOutput(/not reachable[\s\S]*not reachable/, 15_000);
    expect(exited).toBe(false);
    expect((await http(app.baseUrl, 'GET', '/health')).status).toBe(503);
    expect((await http(app.baseUrl, 'GET', '/health/live')).status).toBe(200);

    // "Postgres comes up": a TCP relay to the test server opens on the port the process keeps trying.
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy!.listen(port, '127.0.0.1', resolve));
    await app.ready(20_000);
    const id = await enqueue(app, { name: 'demo.echo', payload: { late: true } });
    expect((await waitForCompleted(id)).worker_id).toContain(`:${app.pid}:`);
    await app.stop();
    expect(app.output()).not.toContain(SECRET);
  });
});

describe('migrations at start-up', () => {
  const PROCESSES = 10;
  let fresh: TestDatabase;

  afterAll(async () => {
    await fresh?.drop();
  });

  it(`${PROCESSES} processes started at once on a fresh database all become ready and migrate exactly once`, async () => {
    fresh = await createTestDatabase();
    const apps = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        start({ DATABASE_URL: fresh.url, JOBS_SERVER_DISABLED: 'true', DATABASE_POOL_SIZE: '2', LOG_LEVEL: 'log' }),
      ),
    );
    const rows = await fresh.query<{ name: string }>('SELECT name FROM jobs.migrations ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(JOBS_MIGRATIONS.map((migration) => migration.name));
    await Promise.all(apps.map((app) => app.stop()));
    const outputs = apps.map((app) => app.output());
    expect(outputs.filter((output) => /Applied jobs migrations/.test(output))).toHaveLength(1);
    for (const output of outputs) expect(output).not.toMatch(/migrations failed|already exists|duplicate key|ERROR/i);
  });
});
