import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint, expectApiError, send, type SentResponse } from './support/hostile-requests.js';
import { startInProcessApp, type InProcessApp, type Route } from './support/in-process-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 5, points 5 and 7: with JOBS_API_TOKEN set, every route the application serves (read from its Express
 * router, so a route added later is covered) but health, the docs and, once they exist, /metrics and the dashboard
 * page answers 401 without the right bearer token — also when the body is malformed, oversized or not JSON, which
 * the token check refuses before the body is read — and changes nothing. Unset, the API is open as before.
 */

const TOKEN = 'access-control-token-0123456789';
const MAX_BODY_BYTES = 2048;

/** Open whatever the token: probes, the API's documentation, metrics (METRICS_TOKEN's), the dashboard's page and files. */
const OPEN = [/^\/health(\/|$)/, /^\/docs(\/|-json$|$)/, /^\/metrics$/, /^\/dashboard\/?$/, /^\/dashboard\/assets\//];

/** A concrete URL of a route: every `:param` filled in. */
const urlOf = (route: Route): string => route.path.replace(/:[A-Za-z0-9_]+/g, '1');
const nameOf = (route: Route): string => `${route.method} ${route.path}`;

/** Bodies that would be a 400, 413 or 415 for a request with the token. */
const HOSTILE_BODIES: Array<{ name: string; body: string; headers: Record<string, string> }> = [
  { name: 'malformed JSON', body: '{"name": ', headers: { 'content-type': 'application/json' } },
  { name: 'a body over the limit', body: JSON.stringify({ name: 'demo.echo', payload: 'x'.repeat(2 * MAX_BODY_BYTES) }), headers: { 'content-type': 'application/json' } },
  { name: 'a text body', body: 'name=demo.echo', headers: { 'content-type': 'text/plain' } },
  { name: 'a JSON array', body: '[1,2,3]', headers: { 'content-type': 'application/json' } },
];

const expectUnauthorized = (response: SentResponse, what: string): void => {
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(401);
  expectApiError(response.body, 401);
  expect(response.headers.get('www-authenticate'), what).toBe('Bearer realm="jobs"');
  expect(JSON.stringify(response.body), what).not.toContain(TOKEN);
};

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('JOBS_API_TOKEN set', () => {
  let server: InProcessApp;
  let protectedRoutes: Route[];

  beforeAll(async () => {
    server = await startInProcessApp({
      DATABASE_URL: database.url,
      // Nothing executes here, so nothing but the requests could change the database.
      JOBS_SERVER_DISABLED: 'true',
      JOBS_API_TOKEN: TOKEN,
      JOBS_MAX_BATCH_BYTES: String(MAX_BODY_BYTES),
    });
    protectedRoutes = server.routes().filter(({ path }) => !OPEN.some((pattern) => pattern.test(path)));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('finds the routes to check in the running application', () => {
    const names = protectedRoutes.map(nameOf);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /jobs', 'POST /jobs/batch', 'GET /jobs', 'GET /jobs/:id', 'POST /jobs/:id/cancel', 'POST /jobs/:id/retry',
        'GET /schedules', 'POST /schedules', 'GET /schedules/:name', 'PATCH /schedules/:name', 'DELETE /schedules/:name',
        'POST /schedules/:name/trigger', 'POST /demo/echo', 'POST /demo/sleep', 'POST /demo/fail',
      ]),
    );
  });

  it('answers 401 to every request without the right token, whatever its body, and changes nothing', async () => {
    const before = await databaseFingerprint(database);
    for (const route of protectedRoutes) {
      const target = { method: route.method, route: urlOf(route) };
      const name = nameOf(route);
      expectUnauthorized(await send(server.baseUrl, target), `${name} without a token`);
      for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer']) {
        expectUnauthorized(await send(server.baseUrl, { ...target, headers: { authorization } }), `${name} with "${authorization.replace(TOKEN, '<token>')}"`);
      }
      for (const hostile of HOSTILE_BODIES) {
        expectUnauthorized(await send(server.baseUrl, { ...target, body: hostile.body, headers: hostile.headers }), `${name} with ${hostile.name}`);
        const wrong = { ...hostile.headers, authorization: 'Bearer not-the-token-0123456789' };
        expectUnauthorized(await send(server.baseUrl, { ...target, body: hostile.body, headers: wrong }), `${name} with ${hostile.name} and a wrong token`);
      }
    }
    expect(await databaseFingerprint(database)).toBe(before);
  });

  it('lets the right token through, the scheme in any case', async () => {
    for (const route of protectedRoutes) {
      const headers = { authorization: `bearer ${TOKEN}`, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { 'content-type': 'application/json' }) };
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}';
      const response = await send(server.baseUrl, { method: route.method, route: urlOf(route), body, headers });
      expect(response.status, `${nameOf(route)} with a lowercase "bearer": ${JSON.stringify(response.body)}`).not.toBe(401);
    }
  });

  it('serves requests with the token as before', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const created = await send(server.baseUrl, { method: 'POST', route: '/jobs', body: { name: 'demo.echo', payload: { a: 1 } }, headers: json });
    expect(created.status).toBe(201);
    expect((await send(server.baseUrl, { method: 'GET', route: `/jobs/${created.body.id}`, headers: auth })).body).toMatchObject({ payload: { a: 1 } });
    expect((await send(server.baseUrl, { method: 'GET', route: '/jobs', headers: auth })).status).toBe(200);
    const schedule = { name: 'access.hourly', cron: '0 * * * *', jobName: 'demo.echo', enabled: false };
    expect((await send(server.baseUrl, { method: 'POST', route: '/schedules', body: schedule, headers: json })).status).toBe(201);
    expect((await send(server.baseUrl, { method: 'GET', route: '/schedules/access.hourly', headers: auth })).status).toBe(200);
    expect((await send(server.baseUrl, { method: 'POST', route: '/demo/echo', body: { b: 2 }, headers: json })).status).toBe(201);
    // Validation still answers for a request with the token: the token check comes first, not instead.
    expect((await send(server.baseUrl, { method: 'POST', route: '/jobs', body: '{"name": ', headers: json })).status).toBe(400);
  });

  it('never puts health or the docs behind the token', async () => {
    for (const route of ['/health', '/health/live', '/docs', '/docs-json']) {
      expect((await send(server.baseUrl, { method: 'GET', route })).status, route).toBe(200);
    }
  });
});

describe('JOBS_API_TOKEN unset', () => {
  let server: InProcessApp;

  beforeAll(async () => {
    server = await startInProcessApp({ DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('leaves the API open, as before', async () => {
    expect((await send(server.baseUrl, { method: 'GET', route: '/jobs' })).status).toBe(200);
    expect((await send(server.baseUrl, { method: 'POST', route: '/jobs', body: { name: 'demo.echo' } })).status).toBe(201);
    expect((await send(server.baseUrl, { method: 'GET', route: '/schedules' })).status).toBe(200);
    // A wrong token changes nothing when none is configured.
    expect((await send(server.baseUrl, { method: 'GET', route: '/jobs', headers: { authorization: 'Bearer whatever' } })).status).toBe(200);
  });
});
