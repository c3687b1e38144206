import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, JobStateConflictError, type JobContext } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { jobRow, waitForJobRow } from './support/job-rows.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

interface Run {
  jobId: string;
  startedAt: number;
  abortedAt?: number;
  returnedAt?: number;
}

let releaseBlockers: () => void = () => undefined;
const blockers = new Promise<void>((resolve) => (releaseBlockers = resolve));
const blockersStarted: string[] = [];
const countedRuns: string[] = [];
const abortableRuns = new Map<string, Run>();
const remoteRuns = new Map<string, Run>();

/** Waits for the signal, then (late) stores progress and returns or throws. */
async function runUntilAborted(runs: Map<string, Run>, context: JobContext, then: 'return' | 'throw') {
  const run: Run = { jobId: context.jobId, startedAt: Date.now() };
  runs.set(context.jobId, run);
  if (!context.signal.aborted) await once(context.signal, 'abort');
  run.abortedAt = Date.now();
  await context.progress(77);
  run.returnedAt = Date.now();
  if (then === 'throw') throw new Error('late failure after cancel');
  return { late: true };
}

@Injectable()
class CancelHandlers {
  @JobHandler('test.block')
  async block(_payload: unknown, context: JobContext) {
    blockersStarted.push(context.jobId);
    await blockers;
  }

  @JobHandler('test.counted')
  counted(payload: { label: string }) {
    countedRuns.push(payload.label);
    return payload;
  }

  @JobHandler('test.fails', { maxAttempts: 1 })
  fails() {
    throw new Error('fails for good');
  }

  /** Ignores its signal; reports progress and returns (or throws) when released. */
  @JobHandler('test.late-writer', { maxAttempts: 1 })
  async lateWriter(payload: { then: 'return' | 'throw' }, context: JobContext) {
    await new Promise<void>((resolve) => lateWriters.set(context.jobId, resolve));
    await context.progress(90);
    lateWritersReturned.add(context.jobId);
    if (payload.then === 'throw') throw new Error('late failure');
    return { late: true };
  }

  @JobHandler('test.abortable')
  abortable(payload: { then: 'return' | 'throw' }, context: JobContext) {
    return runUntilAborted(abortableRuns, context, payload.then);
  }
}

/** Releases of `test.late-writer`, by job id: each returns or throws when the test says so. */
const lateWriters = new Map<string, () => void>();
const lateWritersReturned = new Set<string>();

/** Only the second instance has this handler, so only it runs these jobs. */
@Injectable()
class RemoteHandlers {
  @JobHandler('test.remote')
  remote(_payload: unknown, context: JobContext) {
    return runUntilAborted(remoteRuns, context, 'return');
  }
}

describe('cancel', () => {
  let database: TestDatabase;
  let app: JobsTestApp;
  let other: JobsTestApp;


  beforeAll(async () => {
    database = await createTestDatabase();
    // Default lease (30 s): heartbeats come every 10 s, so a cancel seen within a second travelled by NOTIFY.
    const processing = { concurrency: 2, leaseMs: 30_000, pollIntervalMs: 50, shutdownGraceMs: 500 };
    app = await startJobsTestApp({ url: database.url, handlers: [CancelHandlers], processing });
    other = await startJobsTestApp({ url: database.url, handlers: [RemoteHandlers], processing });
  });

  afterAll(async () => {
    releaseBlockers();
    await other?.close();
    await app?.close();
    await database?.drop();
  });

  it('cancels a pending job, which then never runs', async () => {
    // Both slots busy: the target stays pending although it is due.
    const blocking = await app.jobs.enqueueMany([{ name: 'test.block' }, { name: 'test.block' }]);
    await waitFor('both blockers to run', () => blockersStarted.length === 2);
    const { job } = await app.jobs.enqueue('test.counted', { label: 'cancelled' });
    expect((await jobRow(database, job.id)).status).toBe('pending');

    const cancelled = await app.jobs.cancel(job.id);
    expect(cancelled).toMatchObject({ id: job.id, status: 'cancelled', attempts: 0 });
    expect(cancelled.finishedAt).not.toBeNull();

    releaseBlockers();
    for (const { job: blocker } of blocking) await waitForJobRow(database, blocker.id, 'completed', (row) => row.status === 'completed');
    // Free slots and several claims later, a job enqueued after it has run; it has not.
    const { job: later } = await app.jobs.enqueue('test.counted', { label: 'later' });
    await waitForJobRow(database, later.id, 'completed', (row) => row.status === 'completed');
    expect(countedRuns).toEqual(['later']);
    expect(await jobRow(database, job.id)).toMatchObject({ status: 'cancelled', attempts: 0, started_at: null, worker_id: null });
  });

  it.each(['return', 'throw'] as const)(
    'cancels a running job at once; its handler is aborted and its late %s changes nothing',
    async (then) => {
      const { job } = await app.jobs.enqueue('test.abortable', { then });
      await waitFor('the handler to start', () => abortableRuns.has(job.id));
      const cancelledAt = Date.now();
      const cancelled = await app.jobs.cancel(job.id);
      expect(cancelled.status).toBe('cancelled');
      expect((await jobRow(database, job.id)).status).toBe('cancelled');

      const run = await waitFor('the handler signal to abort', () => {
        const current = abortableRuns.get(job.id);
        return current?.returnedAt !== undefined ? current : undefined;
      });
      expect(run.abortedAt! - cancelledAt).toBeLessThan(5_000);
      // Once the handler has settled, its worker drops the lease it kept meanwhile.
      const row = await waitForJobRow(database, job.id, 'lease dropped', (current) => current.locked_until === null);
      expect(row).toMatchObject({ status: 'cancelled', result: null, error: null, errors: [], attempts: 1, progress: 0 });
      expect((row.finished_at as Date).toISOString()).toBe(cancelled.finishedAt);
    },
  );

  it('cancels a job running in another instance: its handler aborts through NOTIFY', async () => {
    const { job } = await other.jobs.enqueue('test.remote', {});
    await waitFor('the remote handler to start', () => remoteRuns.has(job.id));
    expect((await jobRow(database, job.id)).worker_id).toBe(other.processor!.workerId);

    const cancelledAt = Date.now();
    const cancelled = await app.jobs.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    const run = await waitFor(
      'the remote handler to abort',
      () => {
        const current = remoteRuns.get(job.id);
        return current?.abortedAt !== undefined ? current : undefined;
      },
      { timeoutMs: 8_000 },
    );
    // Well before the next heartbeat (10 s) could have noticed.
    expect(run.abortedAt! - cancelledAt).toBeLessThan(5_000);
    const row = await waitForJobRow(database, job.id, 'lease dropped', (current) => current.locked_until === null);
    expect(row).toMatchObject({ status: 'cancelled', result: null, progress: 0 });
  });

  it.each(['return', 'throw'] as const)(
    'keeps a job cancelled when its handler %ss before its worker hears of the cancel (notification lost)',
    async (then) => {
      const { job } = await app.jobs.enqueue('test.late-writer', { then });
      await waitFor('the handler to start', () => lateWriters.has(job.id));
      // What the cancel statement writes, minus its NOTIFY: only the row fences the late outcome now.
      await database.query(`UPDATE jobs.jobs SET status = 'cancelled', finished_at = now() WHERE id = $1`, [job.id]);
      lateWriters.get(job.id)!();
      await waitFor('the handler to return', () => lateWritersReturned.has(job.id));
      // Outcomes are written in order: once a later job has completed, this one's outcome was written (or refused).
      const { job: later } = await app.jobs.enqueue('test.counted', { label: `after-late-${then}` });
      await waitForJobRow(database, later.id, 'completed', (row) => row.status === 'completed');
      expect(await jobRow(database, job.id)).toMatchObject({ status: 'cancelled', result: null, error: null, errors: [], progress: 0 });
    },
  );

  it('refuses to cancel a finished job (completed, failed, cancelled) with JobStateConflictError', async () => {
    const { job } = await app.jobs.enqueue('test.counted', { label: 'finished' });
    await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed');
    await expect(app.jobs.cancel(job.id)).rejects.toBeInstanceOf(JobStateConflictError);
    expect((await jobRow(database, job.id)).status).toBe('completed');

    const { job: failing } = await app.jobs.enqueue('test.fails', null);
    await waitForJobRow(database, failing.id, 'failed', (row) => row.status === 'failed');
    await expect(app.jobs.cancel(failing.id)).rejects.toBeInstanceOf(JobStateConflictError);
    expect((await jobRow(database, failing.id)).status).toBe('failed');

    const { job: delayed } = await app.jobs.enqueue('test.counted', { label: 'never' }, { delayMs: 60_000 });
    await app.jobs.cancel(delayed.id);
    const second = await app.jobs.cancel(delayed.id).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(JobStateConflictError);
    expect((second as Error).message).toContain('cancelled');
  });
});
