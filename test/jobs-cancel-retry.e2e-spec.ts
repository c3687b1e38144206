import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, JobStateConflictError, type JobContext } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { jobRow, waitForJobRow } from './support/job-rows.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

let failing = true;
let releaseGated: () => void = () => undefined;
const gated = new Promise<void>((resolve) => (releaseGated = resolve));
let releaseStubborn: () => void = () => undefined;
const stubbornGate = new Promise<void>((resolve) => (releaseStubborn = resolve));
/** Every execution of `test.stubborn`: its span and whether its signal had aborted when it returned. */
const stubbornRuns: Array<{ attempt: number; start: number; end?: number; abortedAtEnd?: boolean }> = [];

@Injectable()
class RetryRequestHandlers {
  @JobHandler('test.switchable', { maxAttempts: 1 })
  switchable(_payload: unknown, context: JobContext) {
    if (failing) throw new Error('failing while the switch is on');
    return { attempt: context.attempt };
  }

  @JobHandler('test.gated')
  async gated() {
    await gated;
    return 'released';
  }

  /** Ignores its signal: runs until the test releases it. */
  @JobHandler('test.stubborn')
  async stubborn(_payload: unknown, context: JobContext) {
    const run: (typeof stubbornRuns)[number] = { attempt: context.attempt, start: Date.now() };
    stubbornRuns.push(run);
    await stubbornGate;
    run.abortedAtEnd = context.signal.aborted;
    run.end = Date.now();
    return 'done';
  }
}

describe('retry', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  const conflictOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected JobStateConflictError, but the call succeeded');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(JobStateConflictError);
        return error as JobStateConflictError;
      },
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({
      url: database.url,
      handlers: [RetryRequestHandlers],
      processing: { concurrency: 4, pollIntervalMs: 50, shutdownGraceMs: 500 },
    });
  });

  afterAll(async () => {
    releaseGated();
    releaseStubborn();
    await app?.close();
    await database?.drop();
  });

  it('puts a failed job back to pending with attempts 0, keeping its error history; it runs again', async () => {
    const { job } = await app.jobs.enqueue('test.switchable', null);
    const failed = await waitForJobRow(database, job.id, 'failed', (row) => row.status === 'failed');
    expect(failed.errors).toHaveLength(1);
    failing = false;

    const retried = await app.jobs.retry(job.id);
    expect(retried).toMatchObject({
      status: 'pending',
      attempts: 0,
      result: null,
      finishedAt: null,
      startedAt: null,
      workerId: null,
      progress: 0,
    });
    expect(retried.errors).toEqual(failed.errors);
    // Due now: no later than the retry itself, and after the failure.
    expect(Date.parse(retried.runAt)).toBeGreaterThanOrEqual((failed.finished_at as Date).getTime());

    const done = await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed');
    expect(done).toMatchObject({ attempts: 1, result: { attempt: 1 } });
    expect(done.errors).toEqual(failed.errors);
  });

  it('refuses to retry completed, pending and processing jobs with JobStateConflictError', async () => {
    const { job: completed } = await app.jobs.enqueue('test.switchable', null);
    await waitForJobRow(database, completed.id, 'completed', (row) => row.status === 'completed');
    expect((await conflictOf(app.jobs.retry(completed.id))).message).toContain('completed');

    const { job: pending } = await app.jobs.enqueue('test.switchable', null, { delayMs: 60_000 });
    expect((await conflictOf(app.jobs.retry(pending.id))).message).toContain('pending');
    const { job: running } = await app.jobs.enqueue('test.gated', null);
    await waitForJobRow(database, running.id, 'processing', (row) => row.status === 'processing');
    expect((await conflictOf(app.jobs.retry(running.id))).message).toContain('processing');

    expect(await jobRow(database, completed.id)).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await jobRow(database, pending.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await jobRow(database, running.id)).toMatchObject({ status: 'processing', attempts: 1 });
    releaseGated();
    await waitForJobRow(database, running.id, 'completed', (row) => row.status === 'completed');
    await app.jobs.cancel(pending.id);
  });

  it('retries a cancelled job that never ran', async () => {
    const { job } = await app.jobs.enqueue('test.switchable', null, { delayMs: 60_000 });
    await app.jobs.cancel(job.id);
    const retried = await app.jobs.retry(job.id);
    expect(retried.status).toBe('pending');
    expect(Date.parse(retried.runAt)).toBeLessThanOrEqual(Date.now() + 1_000);
    await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed');
  });

  it('refuses to retry a cancelled job while its handler (ignoring its signal) still runs, then allows it', async () => {
    const { job } = await app.jobs.enqueue('test.stubborn', null);
    await waitFor('the stubborn handler to start', () => stubbornRuns.length === 1);
    await app.jobs.cancel(job.id);
    const cancelled = await jobRow(database, job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.locked_until).not.toBeNull();

    const refused = await conflictOf(app.jobs.retry(job.id));
    expect(refused.message).toMatch(/still running/);
    expect(await jobRow(database, job.id)).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(stubbornRuns).toHaveLength(1);

    releaseStubborn();
    await waitForJobRow(database, job.id, 'lease dropped after the handler returned', (row) => row.locked_until === null);
    expect(stubbornRuns[0].abortedAtEnd).toBe(true);
    expect((await jobRow(database, job.id)).status).toBe('cancelled');

    const retried = await app.jobs.retry(job.id);
    expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
    await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed');
    expect(stubbornRuns).toHaveLength(2);
    // Never two executions of the job at once.
    expect(stubbornRuns[1].start).toBeGreaterThanOrEqual(stubbornRuns[0].end!);
    expect(stubbornRuns.map((run) => run.attempt)).toEqual([1, 1]);
  });

  it('refuses to retry a job whose dedup key another live job now holds', async () => {
    failing = true;
    const { job } = await app.jobs.enqueue('test.switchable', null, { key: 'shared-key' });
    await waitForJobRow(database, job.id, 'failed', (row) => row.status === 'failed');
    const { job: successor, created } = await app.jobs.enqueue('test.switchable', null, { key: 'shared-key', delayMs: 60_000 });
    expect(created).toBe(true);

    expect((await conflictOf(app.jobs.retry(job.id))).message).toContain('dedup key');
    expect((await jobRow(database, job.id)).status).toBe('failed');
    await app.jobs.cancel(successor.id);
  });
});
