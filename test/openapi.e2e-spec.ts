import { validate } from '@readme/openapi-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessApp, type InProcessApp, type Route } from './support/in-process-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 5, points 4 and 7: the OpenAPI document at /docs-json is valid OpenAPI 3, documents exactly the routes the
 * running application serves (read from its Express router, so a route added without documentation fails here),
 * and every operation declares the errors it can answer.
 */

/**
 * Routes that are not part of the API, so not in the document: the documentation itself and, where the dashboard
 * module is present, its page and static files. Keep this list short and explicit.
 */
const UNDOCUMENTED = [/^\/docs(\/.*)?$/, /^\/docs-json$/, /^\/dashboard$/, /^\/dashboard\/assets\/:file$/];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** `/jobs/:id` → `/jobs/{id}`. */
const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

let database: TestDatabase;
let server: InProcessApp;
let document: OpenAPIV3.Document;

const operations = (): Array<{ method: string; path: string; operation: OpenAPIV3.OperationObject }> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item?.[method]).map((method) => ({ method: method.toUpperCase(), path, operation: item![method]! })),
  );

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startInProcessApp({ DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true', JOBS_API_TOKEN: 'openapi-test-token-0123456789' });
  const response = await fetch(`${server.baseUrl}/docs-json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as OpenAPIV3.Document;
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe('OpenAPI document', () => {
  it('validates as OpenAPI 3', async () => {
    expect(document.openapi).toMatch(/^3\./);
    // validate() dereferences in place: give it a copy.
    const result = await validate(structuredClone(document) as never);
    expect('errors' in result ? result.errors : [], JSON.stringify(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents exactly the routes the application serves', () => {
    const served = server.routes();
    const key = ({ method, path }: Route) => `${method} ${openApiPath(path)}`;
    const api = served.filter(({ path }) => !UNDOCUMENTED.some((pattern) => pattern.test(path)));
    // The enumeration itself must see the application: the jobs, schedules and health routes at least.
    expect(api.map(key)).toEqual(expect.arrayContaining(['POST /jobs', 'GET /jobs/{id}', 'PATCH /schedules/{name}', 'GET /health']));
    // The exclusions exclude only the documentation's own routes, and something is excluded (the UI is served).
    expect(served.length - api.length).toBeGreaterThan(0);
    expect([...new Set(api.map(key))].sort()).toEqual(operations().map(({ method, path }) => `${method} ${path}`).sort());
  });

  it('serves the UI with its assets from this server, no CDN', async () => {
    const page = await fetch(`${server.baseUrl}/docs`).then((response) => response.text());
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset, 'a local asset').not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset, `${server.baseUrl}/docs`);
      expect((await fetch(url)).status, url.pathname).toBe(200);
    }
  });

  it('declares the bearer scheme, and the errors each operation can answer, with the API error schema', () => {
    expect(document.components?.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      metrics: { type: 'http', scheme: 'bearer' },
    });
    const conflicts = new Set(['POST /jobs/{id}/cancel', 'POST /jobs/{id}/retry', 'POST /schedules', 'PATCH /schedules/{name}', 'DELETE /schedules/{name}']);
    for (const { method, path, operation } of operations()) {
      const name = `${method} ${path}`;
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((status) => status.startsWith('2')), `${name}: a success response`).toBe(true);
      if (path.startsWith('/health')) {
        expect(operation.security, `${name} is open`).toBeUndefined();
        if (path === '/health') expect(statuses, name).toContain('503');
        continue;
      }
      if (path === '/metrics') {
        // Operational, not the API: behind METRICS_TOKEN alone, never JOBS_API_TOKEN.
        expect(statuses, name).toContain('401');
        expect(operation.security, name).toEqual([{ metrics: [] }]);
        continue;
      }
      const expected = ['400', '401', '408', '429', '503'];
      if (operation.requestBody) expected.push('413', '415');
      if (path.includes('{')) expected.push('404');
      if (conflicts.has(name)) expected.push('409');
      expect(statuses, name).toEqual(expect.arrayContaining(expected));
      expect(operation.security, `${name} requires the token`).toEqual([{ bearer: [] }]);
      for (const status of statuses.filter((code) => Number(code) >= 400)) {
        const response = operation.responses[status] as OpenAPIV3.ResponseObject;
        expect(response.content?.['application/json']?.schema, `${name} ${status}`).toEqual({ $ref: '#/components/schemas/ApiErrorDto' });
      }
    }
    expect(Object.keys((document.components!.schemas!.ApiErrorDto as OpenAPIV3.SchemaObject).properties!).sort()).toEqual(
      ['error', 'field', 'message', 'statusCode'],
    );
  });

  it('is not served where no application route is (ONLY_JOB_SERVER)', async () => {
    // A job server on the same database, started beside the API process (whose environment it must not inherit).
    const worker = await startInProcessApp({ DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'false', ONLY_JOB_SERVER: 'true' });
    try {
      expect((await fetch(`${worker.baseUrl}/docs-json`)).status).toBe(404);
      expect((await fetch(`${worker.baseUrl}/docs`)).status).toBe(404);
      // Health (and, where the metrics module is present, /metrics): nothing of the API.
      const served = worker.routes().map(({ method, path }) => `${method} ${path}`);
      expect(served).toEqual(expect.arrayContaining(['GET /health', 'GET /health/live']));
      expect(served.filter((route) => !/^GET \/(health(\/live)?|metrics)$/.test(route))).toEqual([]);
    } finally {
      await worker.close();
    }
  });
});
