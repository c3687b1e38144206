import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidJobInputError, JobHandler, type JobContext } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

/** Client-clock start of each attempt of `test.flaky`, by attempt number. */
const flakyStarts = new Map<number, number>();
/** What each `test.timeout` attempt saw: how long until its signal aborted. */
const timeoutRuns: Array<{ jobId: string; attempt: number; abortedAfterMs: number; reason: string }> = [];
const knownRuns: string[] = [];

const FLAKY_BACKOFF = { delayMs: 300, maxDelayMs: 10_000 };

@Injectable()
class RetryHandlers {
  @JobHandler('test.flaky', { maxAttempts: 5, backoff: FLAKY_BACKOFF })
  flaky(_payload: unknown, context: JobContext) {
    flakyStarts.set(context.attempt, Date.now());
    if (context.attempt <= 2) throw new Error(`flaky failure ${context.attempt}`);
    return { succeededOn: context.attempt };
  }

  @JobHandler('test.always-fails', { maxAttempts: 2, backoff: { delayMs: 20 } })
  alwaysFails(_payload: unknown, context: JobContext) {
    throw new Error(`always fails, attempt ${context.attempt}`);
  }

  @JobHandler('test.throws-non-error', { maxAttempts: 1 })
  throwsNonError(payload: { kind: 'string' | 'object' | 'undefined' }) {
    if (payload.kind === 'string') throw 'a plain string was thrown';
    if (payload.kind === 'object') throw { code: 'E_CUSTOM', detail: 42 };
    throw undefined;
  }

  /** Honours its signal; slow (until the timeout aborts it) on the first `slowAttempts` attempts. */
  @JobHandler('test.timeout', { timeoutMs: 200, maxAttempts: 2, backoff: { delayMs: 20 } })
  async timeout(payload: { slowAttempts: number }, context: JobContext) {
    if (context.attempt > payload.slowAttempts) return { finishedOn: context.attempt };
    const startedAt = Date.now();
    try {
      await sleep(30_000, undefined, { signal: context.signal });
    } finally {
      timeoutRuns.push({
        jobId: context.jobId,
        attempt: context.attempt,
        abortedAfterMs: Date.now() - startedAt,
        reason: String((context.signal.reason as Error | undefined)?.message),
      });
    }
    return { unreachable: true };
  }

  @JobHandler('test.known')
  known(payload: { label: string }) {
    knownRuns.push(payload.label);
    return payload;
  }
}

describe('retries, backoff, final failure, timeouts and unknown handlers', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  const finished = (id: string, timeoutMs = 15_000) =>
    waitFor(`job ${id} to finish`, async () => {
      const [row] = await database.query(
        `SELECT * FROM jobs.jobs WHERE id = $1 AND status IN ('completed', 'failed', 'cancelled')`,
        [id],
      );
      return row;
    }, { timeoutMs });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({
      url: database.url,
      handlers: [RetryHandlers],
      processing: { concurrency: 4, pollIntervalMs: 50, shutdownGraceMs: 1_000 },
    });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('retries a failing handler with backoff and completes it on attempt 3, keeping the error history', async () => {
    const { job } = await app.jobs.enqueue('test.flaky', { any: 'payload' });
    const row = await finished(job.id);
    expect(row).toMatchObject({ status: 'completed', attempts: 3, result: { succeededOn: 3 }, locked_until: null });
    expect(row.errors).toHaveLength(2);
    const errors = row.errors as Array<{ attempt: number; message: string; stack: string; at: string }>;
    errors.forEach((entry, index) => {
      expect(entry.attempt).toBe(index + 1);
      expect(entry.message).toBe(`flaky failure ${index + 1}`);
      expect(entry.stack).toContain(`Error: flaky failure ${index + 1}`);
      expect(entry.stack).toContain('jobs-retries.e2e-spec.ts');
    });
    // `error` is the last failure.
    expect(row.error).toEqual({ message: 'flaky failure 2', stack: errors[1].stack });

    // Backoff `delayMs · 2^(attempt−1)` with equal jitter: at least half of it. Attempt 2 started ≥ 150 ms after
    // failure 1 (client clock on this host, as the handler records it).
    const firstFailureAt = Date.parse(errors[0].at);
    expect(flakyStarts.get(2)! - firstFailureAt).toBeGreaterThanOrEqual(FLAKY_BACKOFF.delayMs / 2 - 5);
    // The last retry's run-at was moved forward by 300–600 ms from failure 2, in one statement on the database
    // clock, and the final attempt did not start before it.
    const [gap] = await database.query(
      `SELECT extract(epoch FROM run_at - (errors->1->>'at')::timestamptz) * 1000 AS delay_ms,
              started_at >= run_at AS started_after_run_at
         FROM jobs.jobs WHERE id = $1`,
      [job.id],
    );
    expect(Number(gap.delay_ms)).toBeGreaterThanOrEqual(FLAKY_BACKOFF.delayMs);
    expect(Number(gap.delay_ms)).toBeLessThanOrEqual(FLAKY_BACKOFF.delayMs * 2);
    expect(gap.started_after_run_at).toBe(true);
  });

  it('marks an always-failing job failed after maxAttempts, with finished_at set', async () => {
    const { job } = await app.jobs.enqueue('test.always-fails', null);
    expect(job.maxAttempts).toBe(2);
    const row = await finished(job.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, max_attempts: 2, result: null, locked_until: null });
    expect(row.finished_at).toBeInstanceOf(Date);
    expect((row.finished_at as Date).getTime()).toBeGreaterThanOrEqual((row.started_at as Date).getTime());
    expect((row.errors as Array<{ attempt: number; message: string }>).map((entry) => [entry.attempt, entry.message])).toEqual([
      [1, 'always fails, attempt 1'],
      [2, 'always fails, attempt 2'],
    ]);
    expect((row.error as { message: string }).message).toBe('always fails, attempt 2');
    // An explicit maxAttempts at enqueue overrides the handler's.
    const { job: once } = await app.jobs.enqueue('test.always-fails', null, { maxAttempts: 1 });
    expect(await finished(once.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('records a message for non-Error throws (string, object, undefined)', async () => {
    const results = await app.jobs.enqueueMany(
      (['string', 'object', 'undefined'] as const).map((kind) => ({ name: 'test.throws-non-error', payload: { kind } })),
    );
    const [fromString, fromObject, fromUndefined] = await Promise.all(results.map(({ job }) => finished(job.id)));
    expect([fromString, fromObject, fromUndefined].map((row) => row.status)).toEqual(['failed', 'failed', 'failed']);
    for (const row of [fromString, fromObject, fromUndefined]) {
      const { message } = row.error as { message: string };
      expect(typeof message).toBe('string');
      expect(message.length).toBeGreaterThan(0);
      expect((row.errors as Array<{ message: string }>)[0].message).toBe(message);
    }
    expect((fromString.error as { message: string }).message).toBe('a plain string was thrown');
    expect((fromObject.error as { message: string }).message).toContain('E_CUSTOM');
    expect((fromObject.error as { message: string }).message).toContain('42');
    expect((fromUndefined.error as { message: string }).message).toMatch(/undefined/);
  });

  it('aborts the signal at timeoutMs and retries, then fails after maxAttempts', async () => {
    const [{ job: recovers }, { job: exhausts }] = await app.jobs.enqueueMany([
      { name: 'test.timeout', payload: { slowAttempts: 1 } },
      { name: 'test.timeout', payload: { slowAttempts: 2 } },
    ]);
    const [recovered, exhausted] = await Promise.all([finished(recovers.id), finished(exhausts.id)]);

    expect(recovered).toMatchObject({ status: 'completed', attempts: 2, result: { finishedOn: 2 } });
    expect((recovered.errors as Array<{ attempt: number; message: string }>).map((entry) => entry.attempt)).toEqual([1]);
    expect((recovered.error as { message: string }).message).toMatch(/timed out after 200 ms/);

    expect(exhausted).toMatchObject({ status: 'failed', attempts: 2 });
    const messages = (exhausted.errors as Array<{ message: string }>).map((entry) => entry.message);
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(message).toMatch(/timed out after 200 ms/);

    const runs = timeoutRuns.filter((run) => run.jobId === recovers.id || run.jobId === exhausts.id);
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      // Aborted by the timeout, not before it (timer granularity allowed for).
      expect(run.abortedAfterMs).toBeGreaterThanOrEqual(190);
      expect(run.reason).toMatch(/timeout/);
    }
  });

  it('never claims a job no handler knows, while known jobs around it complete', async () => {
    const { job: before } = await app.jobs.enqueue('test.known', { label: 'before' });
    // Written by another release of the application, say: first in claim order.
    const [unknown] = await database.query(
      `INSERT INTO jobs.jobs (name, queue, priority, payload) VALUES ('test.nobody-handles-this', 'default', -1000, '{}')
       RETURNING id`,
    );
    const { job: after } = await app.jobs.enqueue('test.known', { label: 'after' });
    await finished(before.id);
    await finished(after.id);
    // A later wake-up and claim: still not taken.
    const { job: last } = await app.jobs.enqueue('test.known', { label: 'last' });
    await finished(last.id);

    const [row] = await database.query(`SELECT * FROM jobs.jobs WHERE id = $1`, [unknown.id]);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, worker_id: null, started_at: null, locked_until: null });
    expect(knownRuns).toEqual(['before', 'after', 'last']);

    const rejection = await app.jobs.enqueue('test.nobody-handles-this', {}).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(InvalidJobInputError);
    expect((rejection as InvalidJobInputError).field).toBe('name');
    expect((rejection as Error).message).toContain('test.nobody-handles-this');
    const [count] = await database.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE name = 'test.nobody-handles-this'`);
    expect(count.n).toBe(1);
  });
});
