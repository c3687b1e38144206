import { Logger } from '@nestjs/common';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FailedAttempt, HeldJob, JobHolderRow, JobRepository } from '../job.repository.js';
import { JobOutcomeWriter, type JobOutcome } from './job-outcome.writer.js';
import { LateWrites } from './late-writes.js';

const WORKER = 'host:1:abc';

/** Rows by id, as the fenced statements would see them, and every statement's ids. */
class FakeRepository {
  rows = new Map<string, JobHolderRow & { result?: string | null; message?: string }>();
  calls: Array<{ op: string; ids: string[] }> = [];
  /** Fails the next calls of an operation with this error before (or, with `afterCommit`, after) applying them. */
  failures: Array<{ op: string; error: Error & { code?: string }; afterCommit?: boolean }> = [];

  hold(id: string, attempt = 1): void {
    this.rows.set(id, { id, status: 'processing', worker_id: WORKER, attempts: attempt });
  }

  private apply<T extends HeldJob>(op: string, jobs: T[], change: (row: JobHolderRow & { result?: string | null; message?: string }, job: T) => void) {
    this.calls.push({ op, ids: jobs.map((job) => job.id) });
    const failure = this.failures.find((entry) => entry.op === op);
    if (failure && !failure.afterCommit) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      throw failure.error;
    }
    const written: Array<{ id: string }> = [];
    for (const job of jobs) {
      const row = this.rows.get(job.id);
      if (row && row.status === 'processing' && row.worker_id === WORKER && row.attempts === job.attempt) {
        change(row, job);
        written.push({ id: job.id });
      }
    }
    if (failure) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      throw failure.error;
    }
    return written;
  }

  async complete(jobs: Array<HeldJob & { result: string | null }>) {
    // Postgres refuses a result the table's CHECK forbids: the whole statement fails.
    if (jobs.some((job) => job.result?.includes('refused'))) {
      this.calls.push({ op: 'complete', ids: jobs.map((job) => job.id) });
      throw Object.assign(new Error('new row violates check constraint "no_refused"'), { code: '23514' });
    }
    return this.apply('complete', jobs, (row, job) => Object.assign(row, { status: 'completed', result: job.result }));
  }

  async fail(jobs: FailedAttempt[]) {
    return this.apply('fail', jobs, (row, job) => Object.assign(row, { status: 'pending', message: job.message }));
  }

  async release(jobs: HeldJob[]) {
    return this.apply('release', jobs, (row) => Object.assign(row, { status: 'pending', worker_id: null, attempts: row.attempts - 1 }));
  }

  async releaseCancelled(jobs: HeldJob[]) {
    return this.apply('release-cancelled', jobs, () => undefined);
  }

  async holders(ids: string[]) {
    return ids.flatMap((id) => (this.rows.has(id) ? [{ ...this.rows.get(id)! }] : []));
  }
}

function writerFor(repository: FakeRepository) {
  const lateWrites = new LateWrites(repository as unknown as JobRepository, WORKER);
  const writer = new JobOutcomeWriter(repository as unknown as JobRepository, WORKER, lateWrites, (outcome, error) =>
    outcome.kind === 'completed'
      ? { kind: 'failed', job: { ...outcome.job, message: `The handler's result could not be stored: ${(error as Error).message}`, stack: null, retryDelayMs: 0 } }
      : undefined,
  );
  return { writer, lateWrites };
}

const completed = (id: string, result: unknown = { ok: id }): JobOutcome => ({
  kind: 'completed',
  job: { id, attempt: 1 },
  result: JSON.stringify(result),
});

describe('JobOutcomeWriter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('fails the one job whose result Postgres refuses and completes the rest of its batch', async () => {
    const repository = new FakeRepository();
    for (const id of ['1', '2', '3', '4']) repository.hold(id);
    const { writer, lateWrites } = writerFor(repository);
    // Outcomes submitted in one turn of the event loop share one statement.
    const written = await Promise.all([completed('1'), completed('2'), completed('3', 'refused'), completed('4')].map((outcome) => writer.submit(outcome)));

    expect(written).toEqual([true, true, true, true]);
    expect(repository.rows.get('3')).toMatchObject({ status: 'pending', message: expect.stringMatching(/could not be stored: new row violates check constraint/) });
    for (const id of ['1', '2', '4']) expect(repository.rows.get(id)?.status).toBe('completed');
    // The batch [1, 2, 3, 4] failed, then went row by row.
    expect(repository.calls.map((call) => `${call.op}:${call.ids.join(',')}`)).toEqual([
      'complete:1,2,3,4',
      'complete:1',
      'complete:2',
      'complete:3',
      'complete:4',
      'fail:3',
    ]);
    expect(lateWrites.rejected).toBe(0);
  });

  it('retries a completion whose connection dropped, and counts nothing when that first try had committed', async () => {
    const repository = new FakeRepository();
    repository.hold('7');
    repository.failures.push({ op: 'complete', error: Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }), afterCommit: true });
    const { writer, lateWrites } = writerFor(repository);

    expect(await writer.submit(completed('7'))).toBe(true);
    expect(repository.rows.get('7')?.status).toBe('completed');
    expect(repository.calls.map((call) => call.op)).toEqual(['complete', 'complete']);
    expect(lateWrites.rejected).toBe(0);
  });

  it('retries a completion that failed before committing on a fresh try', async () => {
    const repository = new FakeRepository();
    repository.hold('8');
    repository.failures.push({ op: 'complete', error: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) });
    const { writer, lateWrites } = writerFor(repository);

    expect(await writer.submit(completed('8'))).toBe(true);
    expect(repository.rows.get('8')?.status).toBe('completed');
    expect(lateWrites.rejected).toBe(0);
  });

  it('counts the writes of jobs taken over by another worker as rejected and leaves those rows alone', async () => {
    const repository = new FakeRepository();
    repository.hold('5');
    repository.rows.set('6', { id: '6', status: 'processing', worker_id: 'other:2:def', attempts: 2 });
    const { writer, lateWrites } = writerFor(repository);

    expect(await writer.submit(completed('5'))).toBe(true);
    expect(await writer.submit({ kind: 'failed', job: { id: '6', attempt: 1, message: 'late', stack: null, retryDelayMs: 0 } })).toBe(false);
    expect(await writer.submit(completed('6'))).toBe(false);
    expect(lateWrites.rejected).toBe(2);
    expect(repository.rows.get('6')).toMatchObject({ status: 'processing', worker_id: 'other:2:def', attempts: 2 });
  });

  it('hands first-try completions to a claim that takes them along, and settles what that statement stored', async () => {
    const repository = new FakeRepository();
    for (const id of ['1', '2']) repository.hold(id);
    repository.rows.set('3', { id: '3', status: 'processing', worker_id: 'other:2:def', attempts: 1 });
    const { writer, lateWrites } = writerFor(repository);
    const submitted = ['1', '2', '3'].map((id) => writer.submit(completed(id)));
    const failure = writer.submit({ kind: 'failed', job: { id: '2', attempt: 9, message: 'x', stack: null, retryDelayMs: 0 } });

    const taken = writer.takeCompletions();
    expect(taken.map((item) => item.outcome.job.id)).toEqual(['1', '2', '3']);
    // The claim's statement stored 1 and 2; 3 belongs to another worker.
    writer.settleTaken(taken, new Set(['1', '2']));
    expect(await Promise.all(submitted)).toEqual([true, true, false]);
    expect(await failure).toBe(false);
    expect(lateWrites.rejected).toBe(2);
    // The failure stayed with the writer; the completions never went through it.
    expect(repository.calls.map((call) => call.op)).toEqual(['fail']);
  });

  it('writes taken completions itself, each on its own terms, when the statement carrying them was refused', async () => {
    const repository = new FakeRepository();
    for (const id of ['1', '2']) repository.hold(id);
    const { writer, lateWrites } = writerFor(repository);
    const submitted = [completed('1'), completed('2', 'refused')].map((outcome) => writer.submit(outcome));

    const taken = writer.takeCompletions();
    writer.returnTaken(taken, Object.assign(new Error('new row violates check constraint "no_refused"'), { code: '23514' }));
    expect(writer.takeCompletions()).toEqual([]);
    expect(await Promise.all(submitted)).toEqual([true, true]);
    expect(repository.rows.get('1')?.status).toBe('completed');
    expect(repository.rows.get('2')).toMatchObject({ status: 'pending', message: expect.stringMatching(/could not be stored/) });
    expect(lateWrites.rejected).toBe(0);
  });

  it('retries taken completions whose statement lost its connection, recognising one that had committed', async () => {
    const repository = new FakeRepository();
    repository.hold('4');
    const { writer, lateWrites } = writerFor(repository);
    const submitted = writer.submit(completed('4'));

    const taken = writer.takeCompletions();
    // The statement committed, then the connection dropped before its answer.
    await repository.complete([{ id: '4', attempt: 1, result: null }]);
    writer.returnTaken(taken, Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }));
    expect(await submitted).toBe(true);
    expect(lateWrites.rejected).toBe(0);
  });
});
