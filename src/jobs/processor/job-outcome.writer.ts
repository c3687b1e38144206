import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FailedAttempt, HeldJob, JobHolderRow, JobRepository } from '../job.repository.js';
import { isTransientDatabaseError } from './transient-error.js';
import { byId, type FencedWriteKind, type LateWrites } from './late-writes.js';
import { withJobLogContext } from './job-log-context.js';

export type JobOutcome =
  | { kind: 'completed'; job: HeldJob; result: string | null }
  | { kind: 'failed'; job: FailedAttempt }
  | { kind: 'released'; job: HeldJob }
  | { kind: 'cancelled'; job: HeldJob };

export interface Pending {
  outcome: JobOutcome;
  done: (written: boolean) => void;
  /** A try failed on a dropped connection: that try may have committed before the answer was lost. */
  retried: boolean;
  /** Already a replacement for an outcome Postgres refused: not replaced again. */
  replacement: boolean;
  /** Postgres refused a statement that carried it along with a claim: it is written by the writer alone. */
  standalone?: boolean;
}

/** Completions the claim loop took along (see `takeCompletions`), to be settled with `settleTaken`/`returnTaken`. */
export type TakenCompletions = readonly Pending[];

/** What `JobRepository.completeAndClaim` stores for taken completions. */
export const completionsOf = (taken: TakenCompletions) =>
  taken.map(({ outcome }) => ({ ...outcome.job, result: outcome.kind === 'completed' ? outcome.result : null }));

const WRITE_KIND: Record<JobOutcome['kind'], FencedWriteKind> = {
  completed: 'complete',
  failed: 'fail',
  released: 'release',
  cancelled: 'release-cancelled',
};

/**
 * Writes what handlers produced, batching whatever finished while the previous write was in flight into one
 * statement per kind. A dropped connection retries the batch on a fresh one until written (every write is fenced,
 * so a retry after the lease was lost changes nothing, and a retry whose first try had committed is recognised).
 * Any other error splits the batch so that one bad row fails alone; a row Postgres refuses is replaced by the
 * failure `refused` returns for it (a result it cannot store fails the job instead of leaving it `processing`).
 */
export class JobOutcomeWriter {
  private readonly logger = new Logger('JobOutcomeWriter');
  private queue: Pending[] = [];
  private flushing = false;
  private stopped = false;

  constructor(
    private readonly repository: JobRepository,
    private readonly workerId: string,
    private readonly lateWrites: LateWrites,
    /** The failure to record instead of an outcome Postgres refused; undefined gives up on the row. */
    private readonly refused: (outcome: JobOutcome, error: unknown) => JobOutcome | undefined,
  ) {}

  /** Resolves true once written, false when the row was no longer ours (fenced) or the writer stopped. */
  submit(outcome: JobOutcome): Promise<boolean> {
    return new Promise((done) => this.enqueue({ outcome, done, retried: false, replacement: false }));
  }

  /** Gives up on retries (the process is exiting); unwritten jobs are recovered by the lease sweep. */
  stop(): void {
    this.stopped = true;
  }

  private enqueue(item: Pending): void {
    this.queue.push(item);
    if (this.flushing) return;
    this.flushing = true;
    // Handlers that settle in the same turn of the event loop share one statement. Two turns: a claim sent in the
    // next turn (the claim loop yields once) takes the completions along instead (`takeCompletions`).
    setImmediate(() => setImmediate(() => void this.flush()));
  }

  /**
   * Completions waiting for their first write, taken out of the queue so that the caller writes them in its own
   * statement (`JobRepository.completeAndClaim`); it must hand every one back to `settleTaken` or `returnTaken`.
   */
  takeCompletions(): TakenCompletions {
    if (this.queue.length === 0) return [];
    const taken: Pending[] = [];
    const kept: Pending[] = [];
    for (const item of this.queue) {
      const alone = item.retried || item.replacement || item.standalone || item.outcome.kind !== 'completed';
      (alone ? kept : taken).push(item);
    }
    this.queue = kept;
    return taken;
  }

  /** The statement that carried them succeeded: `written` are the ids it stored; the others were fenced out. */
  settleTaken(taken: TakenCompletions, written: ReadonlySet<string>): void {
    if (taken.length === 0) return;
    const fenced: Pending[] = [];
    for (const item of taken) {
      if (written.has(item.outcome.job.id)) item.done(true);
      else fenced.push(item);
    }
    if (fenced.length > 0) void this.settleFenced(fenced);
  }

  /**
   * The statement that carried them failed: the writer takes them over. After a dropped connection they are
   * retried like any write (it may have committed); after any other error each is written on its own terms, so
   * that a row Postgres refuses fails alone.
   */
  returnTaken(taken: TakenCompletions, error: unknown): void {
    if (taken.length === 0) return;
    const transient = isTransientDatabaseError(error);
    for (const item of taken) {
      if (transient) item.retried = true;
      else item.standalone = true;
    }
    this.queue = [...taken, ...this.queue];
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    let delayMs = 100;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.writeBatch(batch);
        delayMs = 100;
      } catch (error) {
        if (this.stopped) {
          for (const item of batch) item.done(false);
          continue;
        }
        this.logger.warn(`Writing ${batch.length} job outcomes failed (${(error as Error).message}); retrying in ${delayMs} ms`);
        for (const item of batch) item.retried = true;
        this.queue = batch.concat(this.queue);
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, 2_000);
      }
    }
    this.flushing = false;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const byKind = (kind: JobOutcome['kind']) => batch.filter((item) => item.outcome.kind === kind);
    await Promise.all([
      this.writeKind(byKind('completed'), (items) =>
        this.repository.complete(
          items.map(({ outcome }) => ({ ...outcome.job, result: outcome.kind === 'completed' ? outcome.result : null })),
          this.workerId,
        ),
      ),
      this.writeKind(byKind('failed'), (items) =>
        this.repository.fail(items.map(({ outcome }) => outcome.job as FailedAttempt), this.workerId),
      ),
      this.writeKind(byKind('released'), (items) => this.repository.release(items.map(({ outcome }) => outcome.job), this.workerId)),
      this.writeKind(byKind('cancelled'), (items) =>
        this.repository.releaseCancelled(items.map(({ outcome }) => outcome.job), this.workerId),
      ),
    ]);
  }

  /** One statement for the batch; transient errors propagate (retry all), others split the batch row by row. */
  private async writeKind(items: Pending[], write: (items: Pending[]) => Promise<Array<{ id: string }>>): Promise<void> {
    if (items.length === 0) return;
    let written: Set<string>;
    try {
      written = new Set((await write(items)).map((row) => String(row.id)));
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      if (items.length > 1) {
        for (const item of items) await this.writeKind([item], write);
        return;
      }
      this.replace(items[0], error);
      return;
    }
    const fenced: Pending[] = [];
    for (const item of items) {
      if (written.has(item.outcome.job.id)) item.done(true);
      else fenced.push(item);
    }
    if (fenced.length > 0) await this.settleFenced(fenced);
  }

  /** One row Postgres refused for what it holds: record the failure that replaces it, or give up on the row. */
  private replace(item: Pending, error: unknown): void {
    const { outcome } = item;
    const replacement = item.replacement ? undefined : this.refused(outcome, error);
    withJobLogContext({ jobId: outcome.job.id, attempt: outcome.job.attempt }, () =>
      this.logger.error(
        `Job ${outcome.job.id} attempt ${outcome.job.attempt}: Postgres refused its ${WRITE_KIND[outcome.kind]} write ` +
          `(${(error as Error)?.message}); ${replacement ? `recording a failure instead` : 'its lease sweep will return it'}`,
      ),
    );
    if (replacement) this.enqueue({ outcome: replacement, done: item.done, retried: false, replacement: true });
    else item.done(false);
  }

  /** Rows the fence kept: rejected late writes, unless an earlier try of the same write had committed. */
  private async settleFenced(items: Pending[]): Promise<void> {
    let holders: Map<string, JobHolderRow> | undefined;
    if (items.some((item) => item.retried)) {
      try {
        holders = byId(await this.repository.holders(items.map((item) => item.outcome.job.id)));
      } catch {
        holders = undefined;
      }
    }
    const rejected: Pending[] = [];
    for (const item of items) {
      if (item.retried && holders && this.appliedEarlier(item.outcome, holders.get(item.outcome.job.id))) item.done(true);
      else rejected.push(item);
    }
    for (const kind of new Set(rejected.map((item) => item.outcome.kind))) {
      const ofKind = rejected.filter((item) => item.outcome.kind === kind);
      this.lateWrites.record(WRITE_KIND[kind], ofKind.map((item) => ({ id: item.outcome.job.id, attempt: item.outcome.job.attempt })), holders);
    }
    for (const item of rejected) item.done(false);
  }

  /** The row shows this very write: its try committed, and only the answer was lost with the connection. */
  private appliedEarlier(outcome: JobOutcome, holder: JobHolderRow | undefined): boolean {
    if (!holder) return false;
    const ours = holder.worker_id === this.workerId && holder.attempts === outcome.job.attempt;
    switch (outcome.kind) {
      case 'completed':
        return ours && holder.status === 'completed';
      case 'failed':
        return ours && (holder.status === 'pending' || holder.status === 'failed');
      case 'released':
        return holder.status === 'pending' && holder.worker_id === null && holder.attempts === outcome.job.attempt - 1;
      case 'cancelled':
        return ours && holder.status === 'cancelled';
    }
  }
}
