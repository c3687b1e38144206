import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { jobRow, waitForJobRow } from './support/job-rows.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

let releaseGated: () => void = () => undefined;
let gate = new Promise<void>((resolve) => (releaseGated = resolve));

@Injectable()
class DedupHandlers {
  @JobHandler('test.quick')
  quick(payload: unknown) {
    return payload;
  }

  /** Runs until the test releases it. */
  @JobHandler('test.gated')
  async gated(payload: unknown) {
    await gate;
    return payload;
  }

  /** Fails; its retry waits a minute, so the job sits `pending` between attempts. */
  @JobHandler('test.retried-later', { maxAttempts: 2, backoff: { delayMs: 60_000 } })
  retriedLater() {
    throw new Error('try again later');
  }
}

describe('dedup keys', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  const rowsWithKey = (key: string) => database.query(`SELECT * FROM jobs.jobs WHERE key = $1 ORDER BY id`, [key]);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({
      url: database.url,
      handlers: [DedupHandlers],
      processing: { concurrency: 4, pollIntervalMs: 50, shutdownGraceMs: 500 },
    });
  });

  afterAll(async () => {
    releaseGated();
    await app?.close();
    await database?.drop();
  });

  it('returns the pending job unchanged to a second enqueue with its key, whatever the job name', async () => {
    const { job: first, created } = await app.jobs.enqueue('test.quick', { v: 1 }, { key: 'pending-key', delayMs: 60_000, priority: 3 });
    expect(created).toBe(true);
    const stored = await jobRow(database, first.id);

    const second = await app.jobs.enqueue('test.quick', { v: 2 }, { key: 'pending-key', priority: -3, maxAttempts: 9 });
    expect(second.created).toBe(false);
    expect(second.job).toEqual(first);
    // The key is global: another job name resolves to the same job.
    const third = await app.jobs.enqueue('test.gated', { v: 3 }, { key: 'pending-key' });
    expect(third).toEqual({ job: first, created: false });

    expect(await rowsWithKey('pending-key')).toHaveLength(1);
    const after = await jobRow(database, first.id);
    for (const column of ['name', 'payload', 'priority', 'run_at', 'max_attempts', 'status', 'created_at']) {
      expect(after[column]).toEqual(stored[column]);
    }

    // A cancelled job no longer holds its key.
    await app.jobs.cancel(first.id);
    const fresh = await app.jobs.enqueue('test.quick', { v: 4 }, { key: 'pending-key', delayMs: 60_000 });
    expect(fresh.created).toBe(true);
    expect(fresh.job.id).not.toBe(first.id);
    await app.jobs.cancel(fresh.job.id);
  });

  it('holds the key while processing; after completion a new job is created', async () => {
    const { job } = await app.jobs.enqueue('test.gated', { run: 1 }, { key: 'running-key' });
    await waitForJobRow(database, job.id, 'processing', (row) => row.status === 'processing');

    const again = await app.jobs.enqueue('test.gated', { run: 2 }, { key: 'running-key' });
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(job.id);
    expect(again.job.status).toBe('processing');
    expect(again.job.payload).toEqual({ run: 1 });

    releaseGated();
    await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed');
    const next = await app.jobs.enqueue('test.gated', { run: 3 }, { key: 'running-key' });
    expect(next.created).toBe(true);
    expect(BigInt(next.job.id)).toBeGreaterThan(BigInt(job.id));
    await waitForJobRow(database, next.job.id, 'completed', (row) => row.status === 'completed');
    const rows = await rowsWithKey('running-key');
    expect(rows.map((row) => [row.id, row.status, row.result])).toEqual([
      [job.id, 'completed', { run: 1 }],
      [next.job.id, 'completed', { run: 3 }],
    ]);
  });

  it('holds the key while a failed attempt waits for its retry; a failed job frees it', async () => {
    const { job } = await app.jobs.enqueue('test.retried-later', null, { key: 'retry-key' });
    await waitForJobRow(database, job.id, 'pending after attempt 1', (row) => row.status === 'pending' && row.attempts === 1);
    const again = await app.jobs.enqueue('test.retried-later', null, { key: 'retry-key' });
    expect(again).toMatchObject({ created: false, job: { id: job.id, attempts: 1, status: 'pending' } });
    await app.jobs.cancel(job.id);

    const { job: once } = await app.jobs.enqueue('test.retried-later', null, { key: 'fail-key', maxAttempts: 1 });
    await waitForJobRow(database, once.id, 'failed', (row) => row.status === 'failed');
    const replacement = await app.jobs.enqueue('test.retried-later', null, { key: 'fail-key', delayMs: 60_000 });
    expect(replacement.created).toBe(true);
    expect(replacement.job.id).not.toBe(once.id);
    await app.jobs.cancel(replacement.job.id);
  });

  it('lets the first job with a key win inside one enqueueMany', async () => {
    const later = { delayMs: 60_000 };
    const results = await app.jobs.enqueueMany([
      { name: 'test.quick', payload: 'first', key: 'batch-key', ...later },
      { name: 'test.quick', payload: 'keyless', ...later },
      { name: 'test.quick', payload: 'second', key: 'batch-key', priority: -9 },
      { name: 'test.quick', payload: 'other', key: 'batch-key-2', ...later },
      { name: 'test.quick', payload: 'third', key: 'batch-key', ...later },
    ]);
    expect(results.map((result) => result.created)).toEqual([true, true, false, true, false]);
    const winner = results[0].job;
    expect(results[2].job).toEqual(winner);
    expect(results[4].job).toEqual(winner);
    expect(winner).toMatchObject({ payload: 'first', priority: 0 });
    expect(await rowsWithKey('batch-key')).toHaveLength(1);
    const [count] = await database.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE id >= $1`, [winner.id]);
    expect(count.n).toBe(3);

    // A later batch meets the live job: resolves to it.
    const [existing] = await app.jobs.enqueueMany([{ name: 'test.quick', payload: 'late', key: 'batch-key' }]);
    expect(existing).toEqual({ job: winner, created: false });
  });
});
