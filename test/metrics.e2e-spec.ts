import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { http, startAppProcess, type AppProcess } from './support/app-process.js';
import { promtoolCheck, scrape, valueOf, type Sample } from './support/prometheus-text.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const PROMTOOL = '/usr/bin/promtool';
const CONCURRENCY = 4;
/** The known set: echoes that complete, failures that retry once then complete, failures that never succeed. */
const ECHOES = 4;
const FLAKY = 3; // demo.fail with times 1: attempt 1 fails (retried), attempt 2 completes
const BROKEN = 2; // demo.fail without times, maxAttempts 3: two retried attempts, then failed for good
const BROKEN_ATTEMPTS = 3;

const echo = { queue: 'default', name: 'demo.echo' };
const fail = { queue: 'default', name: 'demo.fail' };

/**
 * Issue 5, points 2 and 7: after a known set of jobs on a real server, the counters and histogram counts of
 * `GET /metrics` have exactly the expected values, and the whole exposition passes `promtool check metrics`.
 */
describe('GET /metrics after a known set of jobs', () => {
  let database: TestDatabase;
  let app: AppProcess;
  let samples: Sample[];
  let text: string;
  let contentType: string | null;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startAppProcess({ env: { DATABASE_URL: database.url, JOBS_CONCURRENCY: String(CONCURRENCY) } });
    // A batch of echoes, one of them a dedup hit (no new row, so not counted), and single enqueues of the failures.
    const batch = await http(app.baseUrl, 'POST', '/jobs/batch', {
      jobs: [
        ...Array.from({ length: ECHOES }, (_, index) => ({ name: 'demo.echo', payload: { index }, key: `echo-${index}` })),
        { name: 'demo.echo', payload: { again: true }, key: 'echo-0' },
      ],
    });
    expect(batch.status).toBe(201);
    for (let index = 0; index < FLAKY; index++) {
      expect((await http(app.baseUrl, 'POST', '/jobs', { name: 'demo.fail', payload: { message: 'flaky', times: 1 } })).status).toBe(201);
    }
    for (let index = 0; index < BROKEN; index++) {
      const created = await http(app.baseUrl, 'POST', '/jobs', {
        name: 'demo.fail',
        payload: { message: 'broken' },
        maxAttempts: BROKEN_ATTEMPTS,
      });
      expect(created.status).toBe(201);
    }
    await waitFor('every job to finish', async () => {
      const [row] = await database.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM jobs.jobs WHERE status NOT IN ('completed', 'failed')`,
      );
      return row.open === 0;
    });
    // The counters move once the outcome's write has returned, a moment after the row shows it; the cluster-wide
    // gauge follows its snapshot (at most 5 s old).
    ({ samples, text, contentType } = await waitFor('the metrics to show every outcome', async () => {
      const scraped = await scrape(app.baseUrl);
      const done =
        valueOf(scraped.samples, 'jobs_failed_total', fail) === BROKEN &&
        valueOf(scraped.samples, 'jobs_completed_total', fail) === FLAKY &&
        valueOf(scraped.samples, 'jobs_completed_total', echo) === ECHOES &&
        valueOf(scraped.samples, 'jobs_cluster_jobs', { queue: 'default', status: 'completed' }) === ECHOES + FLAKY;
      return done ? scraped : undefined;
    }, { timeoutMs: 20_000, intervalMs: 200 }));
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('serves the Prometheus text format', () => {
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toContain('# TYPE jobs_enqueued_total counter');
    expect(text).toContain('# TYPE job_duration_seconds histogram');
  });

  it('counts enqueues, outcomes and claims exactly', () => {
    expect(valueOf(samples, 'jobs_enqueued_total', echo)).toBe(ECHOES);
    expect(valueOf(samples, 'jobs_enqueued_total', fail)).toBe(FLAKY + BROKEN);
    expect(valueOf(samples, 'jobs_completed_total', echo)).toBe(ECHOES);
    expect(valueOf(samples, 'jobs_completed_total', fail)).toBe(FLAKY);
    expect(valueOf(samples, 'jobs_failed_total', fail)).toBe(BROKEN);
    expect(valueOf(samples, 'jobs_failed_total', echo)).toBeUndefined();
    expect(valueOf(samples, 'jobs_retried_total', fail)).toBe(FLAKY + BROKEN * (BROKEN_ATTEMPTS - 1));
    expect(valueOf(samples, 'jobs_retried_total', echo)).toBeUndefined();
    const attempts = ECHOES + FLAKY * 2 + BROKEN * BROKEN_ATTEMPTS;
    expect(valueOf(samples, 'jobs_claimed_total')).toBe(attempts);
    expect(valueOf(samples, 'jobs_lease_rescued_total')).toBe(0);
    expect(valueOf(samples, 'jobs_late_writes_rejected_total')).toBe(0);
  });

  it('times every attempt by outcome in job_duration_seconds, its wait in job_wait_seconds, and every claim', () => {
    const count = (labels: Record<string, string>) => valueOf(samples, 'job_duration_seconds_count', labels);
    expect(count({ ...echo, outcome: 'completed' })).toBe(ECHOES);
    expect(count({ ...fail, outcome: 'completed' })).toBe(FLAKY);
    expect(count({ ...fail, outcome: 'retried' })).toBe(FLAKY + BROKEN * (BROKEN_ATTEMPTS - 1));
    expect(count({ ...fail, outcome: 'failed' })).toBe(BROKEN);
    // The +Inf bucket holds every observation.
    expect(valueOf(samples, 'job_duration_seconds_bucket', { ...echo, outcome: 'completed', le: '+Inf' })).toBe(ECHOES);
    expect(valueOf(samples, 'job_duration_seconds_sum', { ...echo, outcome: 'completed' })).toBeGreaterThanOrEqual(0);
    // Each attempt's wait from due to claim, by queue: one observation per claimed job, none negative.
    const attempts = ECHOES + FLAKY * 2 + BROKEN * BROKEN_ATTEMPTS;
    expect(valueOf(samples, 'job_wait_seconds_count', { queue: 'default' })).toBe(attempts);
    expect(valueOf(samples, 'job_wait_seconds_bucket', { queue: 'default', le: '+Inf' })).toBe(attempts);
    expect(valueOf(samples, 'job_wait_seconds_sum', { queue: 'default' })).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'job_wait_seconds_sum', { queue: 'default' })).toBeLessThan(attempts * 10);
    // Claims are also made when nothing is due (each poll), so at least one per claimed batch.
    expect(valueOf(samples, 'jobs_claim_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('reports the processor and the database pool', () => {
    expect(valueOf(samples, 'jobs_processor_concurrency_limit')).toBe(CONCURRENCY);
    expect(valueOf(samples, 'jobs_processor_concurrency_in_use')).toBe(0);
    expect(valueOf(samples, 'jobs_processor_leases_healthy')).toBe(1);
    expect(valueOf(samples, 'jobs_db_pool_max_connections')).toBe(10);
    const busy = valueOf(samples, 'jobs_db_pool_connections', { state: 'busy' })!;
    const idle = valueOf(samples, 'jobs_db_pool_connections', { state: 'idle' })!;
    expect(busy + idle).toBeGreaterThan(0);
    expect(busy + idle).toBeLessThanOrEqual(10);
    expect(valueOf(samples, 'jobs_db_pool_waiting_requests')).toBe(0);
    expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('exports the cluster-wide job counts, every status of the queue included', () => {
    expect(valueOf(samples, 'jobs_cluster_exporter')).toBe(1);
    const cluster = (status: string) => valueOf(samples, 'jobs_cluster_jobs', { queue: 'default', status });
    expect(cluster('completed')).toBe(ECHOES + FLAKY);
    expect(cluster('failed')).toBe(BROKEN);
    expect(cluster('pending')).toBe(0);
    expect(cluster('processing')).toBe(0);
    expect(cluster('cancelled')).toBe(0);
  });

  it('passes promtool check metrics', async () => {
    expect(existsSync(PROMTOOL), `${PROMTOOL} is missing: install Debian's prometheus package (.ci/run does)`).toBe(true);
    const result = await promtoolCheck(text, PROMTOOL);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('promtool refuses what it should: the check can fail', async () => {
    const result = await promtoolCheck('# HELP jobs_x_total x\n# TYPE jobs_x_total gauge\njobs_x_total 1\n', PROMTOOL);
    expect(result.code).not.toBe(0);
  });
});
