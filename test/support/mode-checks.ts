import { expect } from 'vitest';
import type { DeploymentMode } from '../../src/config/deployment-mode.js';
import { http, startAppProcess, type AppProcess } from './app-process.js';
import { waitForJobRow } from './job-rows.js';
import type { TestDatabase } from './test-database.js';

/**
 * Starts the built server with the environment a deployment file sets, on a test database: its DATABASE_URL is
 * replaced (after checking it is one) and its PORT is left to the harness, everything else is kept as written.
 */
export async function startWithEnvironment(env: Record<string, string>, database: TestDatabase): Promise<AppProcess> {
  expect(env.DATABASE_URL, 'the file sets DATABASE_URL').toMatch(/^postgres(ql)?:\/\//);
  const { PORT: _chosenByTheHarness, ...rest } = env;
  return startAppProcess({ env: { ...rest, DATABASE_URL: database.url } });
}

/** What each mode serves: /jobs everywhere but on job servers, the processor everywhere but in API-only mode. */
export async function expectMode(app: AppProcess, mode: DeploymentMode): Promise<void> {
  const health = await http(app.baseUrl, 'GET', '/health');
  expect(health.status).toBe(200);
  expect(health.body.details.processor?.status, `processor of a process in mode ${mode}`).toBe(mode === 'api' ? undefined : 'up');
  expect((await http(app.baseUrl, 'GET', '/jobs')).status, `GET /jobs in mode ${mode}`).toBe(mode === 'worker' ? 404 : 200);
}

/** A demo.echo job enqueued through `api` completes, executed by `runner`. */
export async function expectJobRunBy(database: TestDatabase, api: AppProcess, runner: AppProcess): Promise<void> {
  const created = await http(api.baseUrl, 'POST', '/jobs', { name: 'demo.echo', payload: { mode: 'check' } });
  expect(created.status).toBe(201);
  const row = await waitForJobRow(database, created.body.id, 'completed', (job) => job.status === 'completed');
  expect(row.worker_id).toContain(`:${runner.pid}:`);
}
