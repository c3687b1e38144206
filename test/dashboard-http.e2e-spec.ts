import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { authorizedHttp } from './support/authorized-http.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 5, points 1 and 5, over plain HTTP against the built server: the dashboard page and its assets load without a
 * token under a strict Content-Security-Policy; its data routes need JOBS_API_TOKEN when one is set; job-only
 * servers do not serve it. The browser specs (`dashboard-browser-*.e2e-spec.ts`) drive the page itself.
 */

const TOKEN = 'dashboard-http-token-0123456789';
const DATA_ROUTES = ['/dashboard/api/overview', '/dashboard/api/job-types'];
const RATE_LIMIT = 5;

let database: TestDatabase;
let guarded: AppProcess;
let open: AppProcess;
let jobServer: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  // Nothing executes here: the rows inserted below stay as they are.
  const base = { DATABASE_URL: database.url, DEMO_JOBS: 'true', JOBS_SERVER_DISABLED: 'true' };
  [guarded, open] = await Promise.all([
    startAppProcess({ env: { ...base, JOBS_API_TOKEN: TOKEN } }),
    // A small rate limit, to see that the page's files are not counted against it (its data calls are).
    startAppProcess({ env: { ...base, HTTP_RATE_LIMIT: String(RATE_LIMIT), HTTP_RATE_LIMIT_WINDOW_MS: '600000' } }),
  ]);
  jobServer = await startAppProcess({ env: { DATABASE_URL: database.url, DEMO_JOBS: 'true', ONLY_JOB_SERVER: 'true' } });
});

afterAll(async () => {
  await Promise.all([guarded, open, jobServer].filter(Boolean).map((app) => app.stop('SIGKILL')));
  await database?.drop();
});

describe('the dashboard page and its assets', () => {
  it('serves the page without a token, as HTML under a CSP that allows only its own scripts and styles', async () => {
    const response = await fetch(`${guarded.baseUrl}/dashboard`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/dashboard/assets/app.js"></script>');
    // No inline script and no inline style: every <script> has a src, and no element carries a style attribute.
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(html).not.toMatch(/<style|\sstyle=/);
  });

  it('serves every module the page imports, from the build, with its content type; nothing from another origin', async () => {
    const seen = new Set<string>();
    const queue = ['app.js', 'app.css'];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const response = await fetch(`${guarded.baseUrl}/dashboard/assets/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toMatch(file.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(response.headers.get('content-security-policy'), file).toContain("default-src 'self'");
      const text = await response.text();
      // The SVG namespace is a name, not a fetch.
      expect(text.replaceAll('http://www.w3.org/2000/svg', ''), file).not.toMatch(/https?:\/\//);
      expect(text, `${file} must never parse data as HTML`).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      for (const [, imported] of text.matchAll(/from '\.\/([a-z-]+\.js)'/g)) queue.push(imported);
    }
    expect(seen.size).toBeGreaterThan(8);
  });

  it('answers 304 to a revalidation, and 404 to any other path under /dashboard/assets', async () => {
    const first = await fetch(`${guarded.baseUrl}/dashboard/assets/app.js`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await fetch(`${guarded.baseUrl}/dashboard/assets/app.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    for (const path of ['nope.js', 'index.html', '..%2Fdashboard-assets.js', '..%2F..%2Fpackage.json', 'dashboard-assets.js']) {
      expect((await fetch(`${guarded.baseUrl}/dashboard/assets/${path}`)).status, path).toBe(404);
    }
  });
});

describe('the dashboard data routes', () => {
  it('answer 401 with WWW-Authenticate without the token or with a wrong one', async () => {
    for (const route of DATA_ROUTES) {
      for (const token of [undefined, 'wrong-token-0123456789']) {
        const response = await authorizedHttp(guarded.baseUrl, token, 'GET', route);
        expect(response.status, `${route} with ${token ?? 'no token'}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="jobs"');
      }
    }
  });

  it('give counts by queue and status and the last hour per minute with the token', async () => {
    await database.query(
      `INSERT INTO jobs.jobs (name, queue, status, finished_at)
       SELECT 'demo.echo', q, s, CASE WHEN s IN ('completed', 'failed') THEN now() END
         FROM (VALUES ('mail', 'pending'), ('mail', 'pending'), ('mail', 'completed'), ('reports', 'failed')) v(q, s)`,
    );
    const { status, body } = await authorizedHttp(guarded.baseUrl, TOKEN, 'GET', '/dashboard/api/overview');
    expect(status).toBe(200);
    expect(body.counts.totals).toEqual({ pending: 2, processing: 0, completed: 1, failed: 1, cancelled: 0 });
    expect(body.counts.byQueue).toContainEqual({ queue: 'mail', status: 'pending', count: 2 });
    expect(body.throughput).toHaveLength(60);
    const sum = (kind: 'completed' | 'failed') => body.throughput.reduce((total: number, minute: any) => total + minute[kind], 0);
    expect([sum('completed'), sum('failed')]).toEqual([1, 1]);
  });

  it('list the job names this application handles, with their queues', async () => {
    const { status, body } = await authorizedHttp(guarded.baseUrl, TOKEN, 'GET', '/dashboard/api/job-types');
    expect(status).toBe(200);
    expect(body.items).toContainEqual({ name: 'demo.sleep', queue: 'default' });
    expect(body.items.map((item: { name: string }) => item.name)).toEqual([...body.items.map((item: { name: string }) => item.name)].sort());
  });

  it('refuse undeclared query parameters, as the rest of the API does', async () => {
    const { status, body } = await authorizedHttp(guarded.baseUrl, TOKEN, 'GET', '/dashboard/api/overview?limit=5');
    expect(status).toBe(400);
    expect(body.field).toBe('limit');
  });

  it('are open when no JOBS_API_TOKEN is set', async () => {
    for (const route of DATA_ROUTES) expect((await authorizedHttp(open.baseUrl, undefined, 'GET', route)).status, route).toBe(200);
  });
});

describe('the rate limit (HTTP_RATE_LIMIT)', () => {
  it("counts the dashboard's data calls, never its page and files", async () => {
    const files = ['/dashboard', '/dashboard/assets/app.js', '/dashboard/assets/app.css'];
    for (let round = 0; round < RATE_LIMIT * 2; round++) {
      for (const route of files) expect((await fetch(`${open.baseUrl}${route}`)).status, route).toBe(200);
    }
    const statuses: number[] = [];
    for (let call = 0; call <= RATE_LIMIT; call++) statuses.push((await fetch(`${open.baseUrl}/dashboard/api/overview`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect((await fetch(`${open.baseUrl}/dashboard/assets/app.js`)).status).toBe(200);
  });
});

describe('job-only servers (ONLY_JOB_SERVER=true)', () => {
  it('serve no dashboard: 404 on the page, its assets and its data', async () => {
    for (const route of ['/dashboard', '/dashboard/assets/app.js', ...DATA_ROUTES]) {
      expect((await fetch(`${jobServer.baseUrl}${route}`)).status, route).toBe(404);
    }
    expect((await fetch(`${jobServer.baseUrl}/health/live`)).status).toBe(200);
  });
});
