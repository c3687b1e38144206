import type { Browser, Locator, Page } from 'playwright-core';
import { startAppProcess, type AppProcess } from './app-process.js';
import { authorizedHttp } from './authorized-http.js';
import { launchChromium } from './browser.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** The JOBS_API_TOKEN of the dashboard's browser specs. */
export const DASHBOARD_TOKEN = 'dashboard-browser-token-0123456789';

export interface DashboardSession {
  database: TestDatabase;
  server: AppProcess;
  browser: Browser;
  page: Page;
  /** Script errors and CSP violations the page reported; a spec expects none. */
  pageErrors: string[];
  /** The jobs API with the token, for seeding and checking what the page shows. */
  api(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Opens the dashboard and answers its token prompt. */
  signIn(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real server (the build, all-in-one, demo jobs on, behind a token) on a fresh database, and a headless Chromium
 * page on it. Polling and refresh happen as in production; specs wait for what they expect, never for a time.
 */
export async function startDashboardSession(env: Record<string, string> = {}): Promise<DashboardSession> {
  const database = await createTestDatabase();
  const [server, browser] = await Promise.all([
    startAppProcess({
      env: { DATABASE_URL: database.url, DEMO_JOBS: 'true', JOBS_API_TOKEN: DASHBOARD_TOKEN, JOBS_POLL_INTERVAL_MS: '200', ...env },
    }),
    launchChromium(),
  ]);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
  });
  const session: DashboardSession = {
    database,
    server,
    browser,
    page,
    pageErrors,
    api: (method, route, body) => authorizedHttp(server.baseUrl, DASHBOARD_TOKEN, method, route, body),
    signIn: async () => {
      await page.goto(`${server.baseUrl}/dashboard`);
      await tokenInput(page).fill(DASHBOARD_TOKEN);
      await page.getByRole('button', { name: 'Use token' }).click();
      await page.locator('#token-dialog').waitFor({ state: 'hidden' });
    },
    close: async () => {
      await browser.close();
      await server.stop('SIGKILL');
      await database.drop();
    },
  };
  return session;
}

/** The token prompt's field. */
export const tokenInput = (page: Page): Locator => page.getByRole('textbox', { name: 'Token' });

/** The ids of the job rows the list shows, top to bottom. */
export const listedIds = (page: Page): Promise<string[]> =>
  page.locator('#job-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id') ?? ''));

/** The row of one job in the list. */
export const jobRowOf = (page: Page, id: string): Locator => page.locator(`#job-table tr[data-job-id="${id}"]`);
