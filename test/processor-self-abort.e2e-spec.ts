import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, type JobContext } from '../src/jobs/index.js';
import { startPrivateCluster, type PrivateCluster } from './support/private-cluster.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { jobRow, waitForJobRow } from './support/job-rows.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

const LEASE_MS = 3_000;

const runs: Array<{ jobId: string; attempt: number; abortedAt?: number; reason?: string }> = [];

@Injectable()
class SelfAbortHandlers {
  /** With `hold`, runs until its signal aborts in its first attempt; otherwise returns at once. */
  @JobHandler('self-abort.wait', { maxAttempts: 3, backoff: { delayMs: 50, maxDelayMs: 50 } })
  async wait(payload: { hold?: boolean } | null, context: JobContext) {
    const run: (typeof runs)[number] = { jobId: context.jobId, attempt: context.attempt };
    runs.push(run);
    if (!payload?.hold || context.attempt > 1) return 'done';
    if (!context.signal.aborted) await once(context.signal, 'abort');
    run.abortedAt = Date.now();
    run.reason = (context.signal.reason as Error).message;
    throw context.signal.reason;
  }
}

/**
 * Issue 3, point 2: a processor that cannot renew its leases (here: its database is gone) aborts its handlers'
 * signals before the lease expires and stops claiming until a renewal succeeds again. On a cluster of this test's
 * own, since it stops the server.
 */
describe('a processor that cannot renew its leases', () => {
  let cluster: PrivateCluster;
  let database: TestDatabase;
  let app: JobsTestApp;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    database = await createTestDatabase(cluster.url);
    app = await startJobsTestApp({
      url: database.url,
      handlers: [SelfAbortHandlers],
      processing: { concurrency: 2, leaseMs: LEASE_MS, sweepIntervalMs: 500 },
    });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop().catch(() => undefined);
    await cluster?.destroy();
  });

  it('aborts its handlers before their lease expires, pauses claims, and resumes once the database is back', async () => {
    const { job } = await app.jobs.enqueue('self-abort.wait', { hold: true });
    await waitFor('the handler to start', () => runs.length === 1);
    // The lease as the database last recorded it: whatever renewal comes later only pushes the expiry further.
    const { locked_until: lockedUntil } = await jobRow(database, job.id);
    const stoppedAt = Date.now();
    await cluster.stop();

    const aborted = await waitFor('the handler signal to abort', () => runs[0].abortedAt, { timeoutMs: 2 * LEASE_MS });
    console.log(`[self-abort] database stopped → handler aborted after ${aborted - stoppedAt} ms, ${lockedUntil.getTime() - aborted} ms before its lease expired`);
    expect(runs[0].reason).toMatch(/lease-lost/);
    expect(aborted).toBeLessThan(lockedUntil.getTime());
    expect(app.processor!.stats().leasesHealthy).toBe(false);

    await cluster.start();
    await waitFor('claims to resume', () => app.processor!.stats().leasesHealthy, { timeoutMs: 15_000 });
    // The aborted attempt is recorded (by the processor, or by the lease sweep), and the job then runs again.
    const done = await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed', 15_000);
    expect(done.attempts).toBe(2);
    expect(done.errors).toHaveLength(1);
    const { job: later } = await app.jobs.enqueue('self-abort.wait', null);
    await waitForJobRow(database, later.id, 'completed', (row) => row.status === 'completed', 10_000);
  });
});
