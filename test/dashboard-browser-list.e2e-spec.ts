import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/app-process.js';
import { DASHBOARD_TOKEN, listedIds, startDashboardSession, tokenInput, type DashboardSession } from './support/dashboard-browser.js';
import { waitFor } from './support/wait-for.js';

/**
 * Issue 5, points 1, 5 and 7, in headless Chromium against the built server: the token prompt, the job list with
 * its filters, search and keyset paging, the overview, the job page and the schedules panel. What the page shows is
 * checked against the database. Actions (retry, cancel, enqueue) and live progress: `dashboard-browser-actions`.
 */

const REPORTS = 23;
const XSS = '<img src=x onerror="window.__xss = 1">';
const POLL = { timeout: 10_000 };

let session: DashboardSession;
let failedId: string;
let echoId: string;

const ids = async (where: string, values: unknown[] = []): Promise<string[]> =>
  (await session.database.query<{ job_id: string }>(`SELECT id::text AS job_id FROM jobs.jobs ${where} ORDER BY id DESC`, values)).map(
    (r) => r.job_id,
  );

beforeAll(async () => {
  session = await startDashboardSession();
  // Pending for an hour: the list's pages stay as they are while the specs page through them.
  const reports = Array.from({ length: REPORTS }, (_, n) => ({ name: 'demo.echo', queue: 'reports', payload: { n }, delayMs: 3_600_000 }));
  expect((await session.api('POST', '/jobs/batch', { jobs: reports })).status).toBe(201);
  const echo = await session.api('POST', '/jobs', { name: 'demo.echo', payload: { html: XSS } });
  const failing = await session.api('POST', '/jobs', { name: 'demo.fail', payload: { message: `boom ${XSS}` }, maxAttempts: 1 });
  [echoId, failedId] = [echo.body.id, failing.body.id];
  await waitFor('the echo to complete and the failure to fail', async () => {
    const rows = await session.database.query(`SELECT 1 FROM jobs.jobs WHERE status IN ('completed', 'failed')`);
    return rows.length === 2;
  });
});

afterEach(() => {
  expect(session.pageErrors, 'script errors or CSP violations in the page').toEqual([]);
});

afterAll(async () => {
  await session?.close();
});

describe('the dashboard in a browser', () => {
  it('asks for the token, refuses a wrong one (401, nothing shown), and with it lists the jobs of the database', async () => {
    const { page, server } = session;
    const refused = page.waitForResponse((r) => r.url().endsWith('/dashboard/api/overview') && r.status() === 401);
    await page.goto(`${server.baseUrl}/dashboard`);
    await refused;
    await tokenInput(page).waitFor();
    expect(await page.locator('#token-message').textContent()).toContain('requires its API token');

    await tokenInput(page).fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Use token' }).click();
    await expect.poll(() => page.locator('#token-message').textContent(), POLL).toContain('refused');
    expect(await listedIds(page)).toEqual([]);

    await tokenInput(page).fill(DASHBOARD_TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    // Newest first, 20 a page: exactly the database's newest 20.
    const newest = (await ids('')).slice(0, 20);
    await expect.poll(() => listedIds(page), POLL).toEqual(newest);
    expect(await page.evaluate("sessionStorage.getItem('jobs-dashboard.token')")).toBe(DASHBOARD_TOKEN);
    // The overview's totals are the database's counts (a snapshot at most 5 s old).
    await expect.poll(() => page.locator('.total-pending .total-count').textContent(), POLL).toBe(String(REPORTS));
    expect(await page.locator('.total-failed .total-count').textContent()).toBe('1');
    expect(await page.locator('.total-completed .total-count').textContent()).toBe('1');
    expect(await page.locator('#queue-counts tr[data-queue="reports"] td[data-status="pending"]').textContent()).toBe(String(REPORTS));
    expect(await page.locator('#throughput-chart .legend').textContent()).toMatch(/completed: 1.*failed: 1/);
  });

  it('filters by status, name and queue, and pages through a queue by keyset', async () => {
    const { page } = session;
    await page.locator('#filter-status').selectOption('failed');
    await expect.poll(() => listedIds(page), POLL).toEqual([failedId]);

    await page.locator('#filter-status').selectOption('');
    await page.locator('#filter-name').fill('demo.echo');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => listedIds(page), POLL).toEqual((await ids(`WHERE name = 'demo.echo'`)).slice(0, 20));

    await page.locator('#filter-name').fill('');
    await page.locator('#filter-queue').fill('reports');
    await page.getByRole('button', { name: 'Apply' }).click();
    const reports = await ids(`WHERE queue = 'reports'`);
    await expect.poll(() => listedIds(page), POLL).toEqual(reports.slice(0, 20));
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => listedIds(page), POLL).toEqual(reports.slice(20));
    expect(await page.locator('#page-number').textContent()).toBe('Page 2');
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => listedIds(page), POLL).toEqual(reports.slice(0, 20));

    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => listedIds(page), POLL).toEqual((await ids('')).slice(0, 20));
    // A total in the overview is a shortcut to its status.
    await page.locator('.total-completed').click();
    await expect.poll(() => listedIds(page), POLL).toEqual([echoId]);
    expect(await page.locator('#filter-status').inputValue()).toBe('completed');
    await page.getByRole('button', { name: 'Clear' }).click();
  });

  it('finds a job by id, and says when there is none', async () => {
    const { page } = session;
    await page.locator('#search-id').fill('999999');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('#search-error').textContent(), POLL).toBe('No job with id 999999.');

    await page.locator('#search-id').fill(echoId);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`**/dashboard#/jobs/${echoId}`);
    await expect.poll(() => page.locator('#job-title').textContent(), POLL).toContain(`Job ${echoId}`);
  });

  it('shows a job: payload and result as text (never markup), attempts, timing and worker', async () => {
    const { page } = session;
    const [row] = await session.database.query(`SELECT * FROM jobs.jobs WHERE id = $1`, [echoId]);
    await expect.poll(() => page.locator('pre[data-field="result"]').textContent(), POLL).toBe(JSON.stringify({ html: XSS }, null, 2));
    expect(await page.locator('pre[data-field="payload"]').textContent()).toBe(JSON.stringify(row.payload, null, 2));
    expect(await page.locator('#job-detail img').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    const field = (name: string) => page.locator('dl.fields dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
    expect(await field('Attempts').textContent()).toBe('1 of 3');
    expect(await field('Worker').textContent()).toBe(row.worker_id);
    expect(await field('Ran').textContent()).toMatch(/\d+ ms|\d+\.\d s/);
  });

  it('shows a failed job with its error history: each attempt with its message and stack', async () => {
    const { page } = session;
    await page.goto(`${session.server.baseUrl}/dashboard#/jobs/${failedId}`);
    const attempt = page.locator('ul.errors li[data-attempt="1"]');
    await expect.poll(() => attempt.locator('.error-message').textContent(), POLL).toBe(`boom ${XSS}`);
    expect(await attempt.locator('pre.stack').textContent()).toMatch(/^Error: boom .*\n\s+at DemoJobsHandlers\.fail/);
    expect(await page.locator('#job-detail img').count()).toBe(0);
    expect(await page.locator('#job-title .badge').textContent()).toBe('failed');
    // Every part of the page is an element: no stray text (such as a "null" for a part the job does not have).
    expect(await page.evaluate(`[...document.getElementById('job-detail').childNodes].filter((n) => n.nodeType === 3).length`)).toBe(0);
    expect(await page.getByRole('button', { name: `Retry job ${failedId}` }).isVisible()).toBe(true);
    const shot = path.join(PROJECT_ROOT, 'test-output', 'dashboard-job.png');
    await mkdir(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
  });

  it('shows the schedules panel only once schedules exist, with their next fire times', async () => {
    const { page } = session;
    await page.goto(`${session.server.baseUrl}/dashboard#/`);
    await expect.poll(() => listedIds(page), POLL).not.toEqual([]);
    expect(await page.locator('#schedules').isHidden()).toBe(true);

    const created = await session.api('POST', '/schedules', { name: 'reports.hourly', cron: '0 * * * *', jobName: 'demo.echo' });
    expect(created.status).toBe(201);
    const row = page.locator('#schedules tr[data-schedule="reports.hourly"]');
    await expect.poll(() => row.locator('time').getAttribute('datetime'), POLL).toBe(created.body.nextFireAt);
    const [stored] = await session.database.query<{ next: Date }>(`SELECT next_fire_at AS next FROM jobs.schedules WHERE name = 'reports.hourly'`);
    expect(created.body.nextFireAt).toBe(stored.next.toISOString());
    expect(await row.locator('.next-fire').textContent()).toMatch(/\(in \d[\d. a-z]*\)/);
  });

  it('writes a full-page screenshot under test-output/', async () => {
    const shot = path.join(PROJECT_ROOT, 'test-output', 'dashboard.png');
    await mkdir(path.dirname(shot), { recursive: true });
    await session.page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
  });
});
