import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobRow, waitForJobRow } from './support/job-rows.js';
import { DASHBOARD_TOKEN, jobRowOf, listedIds, startDashboardSession, tokenInput, type DashboardSession } from './support/dashboard-browser.js';

/**
 * Issue 5, points 1, 5 and 7, in headless Chromium against the built server: live progress, the Retry and Cancel
 * buttons, the enqueue form, and an action sent with a wrong token. Every outcome is read from the database.
 */

const POLL = { timeout: 10_000 };

let session: DashboardSession;

/** Enqueues through the API (as another client would) and returns the job's id. */
async function enqueue(body: Record<string, unknown>): Promise<string> {
  const response = await session.api('POST', '/jobs', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

/** The progress the list's bar for that job shows; -1 while it shows none. */
const barValue = (id: string) => async (): Promise<number> => {
  const bar = jobRowOf(session.page, id).locator('progress');
  return (await bar.count()) === 0 ? -1 : Number(await bar.getAttribute('aria-valuenow'));
};

beforeAll(async () => {
  session = await startDashboardSession();
  await session.signIn();
});

afterEach(() => {
  expect(session.pageErrors, 'script errors or CSP violations in the page').toEqual([]);
});

afterAll(async () => {
  await session?.close();
});

describe('the dashboard in a browser', () => {
  it("moves a running job's progress bar as its progress in the database advances", async () => {
    // 20 steps of a second, 5% each: the page, refreshing running jobs every second, has time to show each value
    // also on a loaded machine. The job runs on after the test; the server is killed at the end.
    const id = await enqueue({ name: 'demo.sleep', payload: { ms: 20_000 } });
    const first = await waitForJobRow(session.database, id, 'progress at 10% or more', (row) => row.progress >= 10 && row.progress < 100);
    await expect.poll(barValue(id), POLL).toBeGreaterThanOrEqual(first.progress);
    const second = await waitForJobRow(session.database, id, 'progress 15 points further', (row) => row.progress >= first.progress + 15);
    expect(second.progress).toBeLessThan(100);
    await expect.poll(barValue(id), POLL).toBeGreaterThanOrEqual(second.progress);
    expect(await jobRowOf(session.page, id).getAttribute('data-status')).toBe('processing');
  });

  it('cancels a running job with its button, then retries it with its button until it completes', async () => {
    const { page, database } = session;
    // Long enough to be cancelled while it runs on a loaded machine, short enough to complete after the retry.
    const id = await enqueue({ name: 'demo.sleep', payload: { ms: 8000 } });
    await waitForJobRow(database, id, 'processing', (row) => row.status === 'processing');
    await expect.poll(() => jobRowOf(page, id).getAttribute('data-status'), POLL).toBe('processing');
    await page.getByRole('button', { name: `Cancel job ${id}` }).click();
    const cancelled = await waitForJobRow(database, id, 'cancelled', (row) => row.status === 'cancelled');
    expect(cancelled.started_at).not.toBeNull();
    await expect.poll(() => jobRowOf(page, id).getAttribute('data-status'), POLL).toBe('cancelled');

    // Retry answers 409 while the cancelled handler still holds its lease; it lets go as soon as it sees the abort.
    await waitForJobRow(database, id, 'its lease released', (row) => row.locked_until === null);
    await page.getByRole('button', { name: `Retry job ${id}` }).click();
    const done = await waitForJobRow(database, id, 'completed after the retry', (row) => row.status === 'completed', 20_000);
    expect(done.result).toEqual({ sleptMs: 8000 });
    expect(done.attempts).toBe(1);
    await expect.poll(() => jobRowOf(page, id).getAttribute('data-status'), POLL).toBe('completed');
  });

  it('retries a failed job by its button; with a wrong token the call is refused (401), changes nothing, and asks again', async () => {
    const { page, database } = session;
    const id = await enqueue({ name: 'demo.fail', payload: { message: 'fails every time' }, maxAttempts: 1 });
    const failed = await waitForJobRow(database, id, 'failed', (row) => row.status === 'failed');
    const retry = page.getByRole('button', { name: `Retry job ${id}` });
    await retry.waitFor();

    // The wrong token and the click in one step, so that the click (not a refresh) is what meets the 401.
    const refused = page.waitForResponse((r) => r.url().endsWith(`/jobs/${id}/retry`) && r.status() === 401);
    await page.evaluate(
      `sessionStorage.setItem('jobs-dashboard.token', 'a-wrong-token-0123456789');
       document.querySelector('button[aria-label="Retry job ${id}"]').click();`,
    );
    await refused;
    await tokenInput(page).waitFor();
    await expect.poll(() => page.locator('#token-message').textContent(), POLL).toContain('refused');
    expect(await jobRow(database, id)).toEqual(failed);

    // With the right token the refused call goes through: back to pending (attempts 0), run again, failed again.
    const accepted = page.waitForResponse((r) => r.url().endsWith(`/jobs/${id}/retry`) && r.status() === 200);
    await tokenInput(page).fill(DASHBOARD_TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    expect(await (await accepted).json()).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await waitForJobRow(database, id, 'failed a second time', (row) => row.status === 'failed' && row.errors.length === 2);
    expect(again.attempts).toBe(1);
    expect(again.errors.map((error: { message: string }) => error.message)).toEqual(['fails every time', 'fails every time']);
  });

  it('enqueues a job with the form, and shows what the API refuses without storing anything', async () => {
    const { page, database } = session;
    const count = async () => (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs.jobs`))[0].n;
    const before = await count();
    const dialog = page.getByRole('dialog', { name: 'Enqueue a job' });
    await page.getByRole('button', { name: 'Enqueue a job' }).click();

    await dialog.getByLabel('Name').fill('demo.sleep');
    await dialog.getByLabel('Payload (JSON)').fill('{"ms": "soon"}');
    await dialog.getByRole('button', { name: 'Enqueue' }).click();
    await expect.poll(() => page.locator('#enqueue-error').textContent(), POLL).toMatch(/^payload\.ms: /);
    expect(await dialog.getByLabel('Payload (JSON)').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Payload (JSON)').fill('{"ms": ');
    await dialog.getByRole('button', { name: 'Enqueue' }).click();
    await expect.poll(() => page.locator('#enqueue-error').textContent(), POLL).toMatch(/^payload: is not valid JSON/);
    expect(await count()).toBe(before);

    await dialog.getByLabel('Name').fill('demo.echo');
    await dialog.getByLabel('Queue').fill('forms');
    await dialog.getByLabel('Payload (JSON)').fill('{"from": "the form", "html": "<b>x</b>"}');
    await dialog.getByLabel('Priority').fill('5');
    await dialog.getByLabel('Delay (ms)').fill('3600000');
    await dialog.getByRole('button', { name: 'Enqueue' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [row] = await database.query<{ id: string; run_at: Date; created_at: Date }>(`SELECT * FROM jobs.jobs ORDER BY id DESC LIMIT 1`);
    expect(await count()).toBe(before + 1);
    expect(row).toMatchObject({ name: 'demo.echo', queue: 'forms', priority: 5, status: 'pending', payload: { from: 'the form', html: '<b>x</b>' } });
    expect(row.run_at.getTime() - row.created_at.getTime()).toBeGreaterThanOrEqual(3_599_000);
    await expect.poll(() => page.locator('#status-line').textContent(), POLL).toBe(`Enqueued job ${row.id} (demo.echo)`);
    await expect.poll(() => listedIds(page), POLL).toContain(String(row.id));
  });
});
