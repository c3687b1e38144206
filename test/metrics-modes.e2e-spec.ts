import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startAppProcess, type AppProcess } from './support/app-process.js';
import { scrape, samplesOf, valueOf } from './support/prometheus-text.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const METRICS_TOKEN = 'worker-metrics-token-5c1d';
const PROCESSOR_METRICS = [
  'jobs_processor_concurrency_in_use',
  'jobs_processor_concurrency_limit',
  'jobs_processor_leases_healthy',
  'jobs_completed_total',
  'jobs_claimed_total',
  'jobs_lease_rescued_total',
  'jobs_late_writes_rejected_total',
  'job_duration_seconds',
  'jobs_claim_duration_seconds',
];
const JOBS = 3;

/**
 * Issue 5, point 2: `/metrics` in both decoupled modes. A job-only server (ONLY_JOB_SERVER, no application routes)
 * serves it with its processor's metrics; an API-only server (JOBS_SERVER_DISABLED) serves it without any processor
 * series, counting what it enqueued.
 */
describe('GET /metrics in the decoupled modes', () => {
  let database: TestDatabase;
  let api: AppProcess;
  let worker: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url };
    [api, worker] = await Promise.all([
      startAppProcess({ env: { ...env, JOBS_SERVER_DISABLED: 'true' } }),
      startAppProcess({ env: { ...env, ONLY_JOB_SERVER: 'true', JOBS_CONCURRENCY: '7', METRICS_TOKEN } }),
    ]);
    for (let index = 0; index < JOBS; index++) {
      expect((await http(api.baseUrl, 'POST', '/jobs', { name: 'demo.echo', payload: { index } })).status).toBe(201);
    }
    await waitFor('the job server to complete every job', async () => {
      const scraped = await scrape(worker.baseUrl, METRICS_TOKEN);
      return valueOf(scraped.samples, 'jobs_completed_total', { queue: 'default', name: 'demo.echo' }) === JOBS;
    });
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await database?.drop();
  });

  it('a job-only server serves /metrics (and no application route) with its processor metrics', async () => {
    expect((await http(worker.baseUrl, 'GET', '/jobs')).status).toBe(404);
    expect((await scrape(worker.baseUrl)).status).toBe(401);
    const { status, samples, text } = await scrape(worker.baseUrl, METRICS_TOKEN);
    expect(status).toBe(200);
    for (const name of PROCESSOR_METRICS) expect(text, name).toContain(`# TYPE ${name} `);
    expect(valueOf(samples, 'jobs_processor_concurrency_limit')).toBe(7);
    expect(valueOf(samples, 'jobs_claimed_total')).toBe(JOBS);
    expect(valueOf(samples, 'job_duration_seconds_count', { name: 'demo.echo', outcome: 'completed' })).toBe(JOBS);
    // It enqueued nothing itself.
    expect(samplesOf(samples, 'jobs_enqueued_total')).toEqual([]);
    expect(valueOf(samples, 'jobs_db_pool_max_connections')).toBe(10);
  });

  it('an API-only server serves /metrics without processor series, counting its enqueues', async () => {
    const { status, samples, text } = await scrape(api.baseUrl);
    expect(status).toBe(200);
    for (const name of PROCESSOR_METRICS) expect(text, name).not.toContain(name);
    expect(valueOf(samples, 'jobs_enqueued_total', { queue: 'default', name: 'demo.echo' })).toBe(JOBS);
    expect(valueOf(samples, 'jobs_db_pool_max_connections')).toBe(10);
  });
});
