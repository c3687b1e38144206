import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startAppProcess, type AppProcess } from './support/app-process.js';
import { scrape } from './support/prometheus-text.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const METRICS_TOKEN = 'metrics-token-7f3a9c1e5b';
const API_TOKEN = 'api-token-2d8e6b4f0a91';

/** Nothing of the exposition: no metric name, no HELP line. */
const expectNothingExposed = (text: string) => {
  expect(text).not.toMatch(/jobs_|process_|nodejs_|# HELP/);
};

/**
 * Issue 5, point 5 for `/metrics`: METRICS_TOKEN, when set, protects `/metrics` alone (401 without it, and JOBS_API_TOKEN
 * neither opens nor closes it); tokens never reach the logs; scrapes are never rate limited.
 */
describe('GET /metrics access', () => {
  let database: TestDatabase;
  let both: AppProcess;
  let apiTokenOnly: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'verbose', HTTP_RATE_LIMIT: '2', HTTP_RATE_LIMIT_WINDOW_MS: '60000' };
    [both, apiTokenOnly] = await Promise.all([
      startAppProcess({ env: { ...env, METRICS_TOKEN, JOBS_API_TOKEN: API_TOKEN } }),
      startAppProcess({ env: { ...env, JOBS_API_TOKEN: API_TOKEN } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([both?.stop(), apiTokenOnly?.stop()]);
    await database?.drop();
  });

  it('answers 401 without a token, exposing nothing', async () => {
    const response = await fetch(`${both.baseUrl}/metrics`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expectNothingExposed(await response.text());
  });

  it.each([
    ['a wrong token', `Bearer ${METRICS_TOKEN}x`],
    ['a prefix of the token', `Bearer ${METRICS_TOKEN.slice(0, -1)}`],
    ['the jobs API token', `Bearer ${API_TOKEN}`],
    ['another scheme', `Basic ${Buffer.from(`user:${METRICS_TOKEN}`).toString('base64')}`],
    ['the token without a scheme', METRICS_TOKEN],
  ])('answers 401 to %s, exposing nothing', async (_what, authorization) => {
    const response = await fetch(`${both.baseUrl}/metrics`, { headers: { authorization } });
    expect(response.status).toBe(401);
    expectNothingExposed(await response.text());
  });

  it('answers 200 with the right token, also beyond the rate limit that holds on the API', async () => {
    for (let index = 0; index < 5; index++) {
      const scraped = await scrape(both.baseUrl, METRICS_TOKEN);
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('jobs_db_pool_connections');
    }
    // The API's own limit (2 per window per client) still holds: the scrapes did not use it up, and it refuses a third.
    const statuses = [];
    for (let index = 0; index < 3; index++) {
      statuses.push((await fetch(`${both.baseUrl}/jobs`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('is open when only JOBS_API_TOKEN is set, while the jobs API is closed', async () => {
    const scraped = await scrape(apiTokenOnly.baseUrl);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('jobs_db_pool_connections');
    expect((await http(apiTokenOnly.baseUrl, 'GET', '/jobs')).status).toBe(401);
  });

  it('never writes a token to the logs', async () => {
    for (const app of [both, apiTokenOnly]) {
      expect(app.output()).not.toContain(METRICS_TOKEN);
      expect(app.output()).not.toContain(API_TOKEN);
      // The logs exist (verbose): the absence above is not for want of output.
      expect(app.output().length).toBeGreaterThan(0);
    }
  });
});
