import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, type JobContext } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { jobRow, waitForJobRow } from './support/job-rows.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

const LEASE_MS = 1_500;

/** Executions per job id. */
const executions = new Map<string, number>();
interface HeldRun {
  abortedAt?: number;
  reason?: string;
  writeProgress: () => void;
  release: () => void;
}
const held = new Map<string, HeldRun>();

@Injectable()
class FencingHandlers {
  /** Returns `result` after `delayMs`. */
  @JobHandler('fence.result', { maxAttempts: 1 })
  async result(payload: { result: unknown; delayMs?: number }, context: JobContext) {
    executions.set(context.jobId, (executions.get(context.jobId) ?? 0) + 1);
    if (payload.delayMs) await sleep(payload.delayMs);
    return payload.result;
  }

  /** Holds its job until released; stores progress when told to; notes when and why its signal aborted. */
  @JobHandler('fence.hold', { maxAttempts: 1 })
  async hold(_payload: unknown, context: JobContext) {
    let release!: () => void;
    let writeProgress!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const progressWanted = new Promise<void>((resolve) => (writeProgress = resolve));
    const run: HeldRun = { release, writeProgress };
    held.set(context.jobId, run);
    context.signal.addEventListener('abort', () => {
      run.abortedAt = Date.now();
      run.reason = (context.signal.reason as Error).message;
    });
    await progressWanted;
    await context.progress(50);
    await released;
    return 'late result';
  }
}

/**
 * Issue 3, point 1: every write after a claim is fenced, a fenced-out write is counted, one row Postgres refuses
 * fails its job alone, and a completion that meets a dropped or failing connection is retried (its lease renewed
 * meanwhile) until stored, so a finished job never runs again.
 */
describe('fenced writes of a processor', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({
      url: database.url,
      handlers: [FencingHandlers],
      processing: { concurrency: 8, leaseMs: LEASE_MS, sweepIntervalMs: 200 },
    });
  });

  afterAll(async () => {
    for (const run of held.values()) {
      run.writeProgress();
      run.release();
    }
    await app?.close();
    await database?.drop();
  });

  it('fails only the job whose result Postgres refuses; the rest of its batch completes', async () => {
    await database.query(`ALTER TABLE jobs.jobs ADD CONSTRAINT test_no_refused CHECK (result IS NULL OR NOT result ? 'refused')`);
    try {
      // The first finishes alone and starts a write; the others finish while it is in flight and share a statement.
      const jobs = await app.jobs.enqueueMany([
        { name: 'fence.result', payload: { result: { first: true } } },
        ...[1, 2, 3, 4, 5].map((n) => ({
          name: 'fence.result',
          payload: { result: n === 3 ? { refused: true } : { n }, delayMs: 30 },
        })),
      ]);
      const rows = await Promise.all(
        jobs.map(({ job }) => waitForJobRow(database, job.id, 'finished', (row) => ['completed', 'failed'].includes(row.status))),
      );
      const refused = rows[3];
      expect(refused.status).toBe('failed');
      expect(refused.result).toBeNull();
      expect(refused.error.message).toMatch(/^The handler's result could not be stored: .*violates check constraint "test_no_refused"/);
      expect(rows.filter((row) => row.status === 'completed')).toHaveLength(5);
      for (const row of rows) expect(executions.get(String(row.id))).toBe(1);
    } finally {
      await database.query(`ALTER TABLE jobs.jobs DROP CONSTRAINT test_no_refused`);
    }
  });

  it('aborts a handler whose job was taken over within a third of the lease, and rejects and counts its late writes', async () => {
    const before = app.processor!.stats().lateWritesRejected;
    const { job } = await app.jobs.enqueue('fence.hold', null);
    const run = await waitFor('the handler to start', () => held.get(job.id));
    // Another worker takes the job over, as the lease sweep and a claim elsewhere would after a freeze.
    await database.query(
      `UPDATE jobs.jobs SET worker_id = 'thief:1:000000', attempts = attempts + 1, locked_until = now() + interval '1 hour'
        WHERE id = $1`,
      [job.id],
    );
    const takenAt = Date.now();
    run.writeProgress();
    await waitFor('the handler signal to abort', () => run.abortedAt, { timeoutMs: LEASE_MS * 2 });
    expect(run.abortedAt! - takenAt).toBeLessThan(LEASE_MS / 3 + 500);
    expect(run.reason).toMatch(/lease-lost/);
    run.release();

    // The rejected progress write and the rejected renewal are counted; the late result is not even tried.
    await waitFor('two rejected writes to be counted', () => app.processor!.stats().lateWritesRejected - before >= 2);
    await waitFor('the run to end', () => app.processor!.stats().running === 0);
    expect(app.processor!.stats().lateWritesRejected - before).toBe(2);
    expect(await jobRow(database, job.id)).toMatchObject({
      status: 'processing',
      worker_id: 'thief:1:000000',
      attempts: 2,
      progress: 0,
      result: null,
    });
    await database.query(`UPDATE jobs.jobs SET status = 'cancelled', locked_until = NULL WHERE id = $1`, [job.id]);
  });

  it('stores a completion whose connection is terminated during the statement; the job never runs again', async () => {
    await database.query(`CREATE SEQUENCE test_completion_kills`);
    await database.query(`CREATE FUNCTION test_kill_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'completed' AND OLD.status = 'processing' AND nextval('test_completion_kills') = 1 THEN
          PERFORM pg_terminate_backend(pg_backend_pid());
          PERFORM pg_sleep(5);
        END IF;
        RETURN NEW;
      END $$`);
    await database.query(`CREATE TRIGGER test_kill_completion BEFORE UPDATE ON jobs.jobs FOR EACH ROW EXECUTE FUNCTION test_kill_completion()`);
    try {
      const { job } = await app.jobs.enqueue('fence.result', { result: { stored: true } });
      const row = await waitForJobRow(database, job.id, 'completed', (current) => current.status === 'completed');
      const [{ kills }] = await database.query<{ kills: string }>(`SELECT last_value AS kills FROM test_completion_kills`);
      expect(Number(kills)).toBeGreaterThanOrEqual(2); // the killed try, then the retry that stored it
      expect(row).toMatchObject({ attempts: 1, result: { stored: true }, errors: [] });
      await sleep(LEASE_MS + 500); // past any lease the lost try could have left behind
      expect(executions.get(job.id)).toBe(1);
      expect((await jobRow(database, job.id)).status).toBe('completed');
    } finally {
      await database.query(`DROP TRIGGER test_kill_completion ON jobs.jobs; DROP FUNCTION test_kill_completion(); DROP SEQUENCE test_completion_kills`);
    }
  });

  it('keeps renewing the lease while a completion fails for longer than the lease, and stores it once it can', async () => {
    // The first five tries fail as a dropped connection would: retried after 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s.
    await database.query(`CREATE SEQUENCE test_completion_failures`);
    await database.query(`CREATE FUNCTION test_fail_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'completed' AND OLD.status = 'processing' AND nextval('test_completion_failures') <= 5 THEN
          RAISE EXCEPTION 'completion refused for now' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$`);
    await database.query(`CREATE TRIGGER test_fail_completion BEFORE UPDATE ON jobs.jobs FOR EACH ROW EXECUTE FUNCTION test_fail_completion()`);
    try {
      const started = Date.now();
      const { job } = await app.jobs.enqueue('fence.result', { result: { eventually: true } });
      const row = await waitForJobRow(database, job.id, 'completed', (current) => current.status === 'completed', 15_000);
      expect(Date.now() - started).toBeGreaterThan(2 * LEASE_MS);
      // Never swept (no lease-expired error, one attempt) and never run again.
      expect(row).toMatchObject({ attempts: 1, result: { eventually: true }, errors: [] });
      expect(executions.get(job.id)).toBe(1);
    } finally {
      await database.query(`DROP TRIGGER test_fail_completion ON jobs.jobs; DROP FUNCTION test_fail_completion(); DROP SEQUENCE test_completion_failures`);
    }
  });
});
