import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FailedAttempt, HeldJob, JobRepository } from '../job.repository.js';
import { isTransientDatabaseError } from './transient-error.js';

export type JobOutcome =
  | { kind: 'completed'; job: HeldJob; result: string | null }
  | { kind: 'failed'; job: FailedAttempt }
  | { kind: 'released'; job: HeldJob }
  | { kind: 'cancelled'; job: HeldJob };

interface Pending {
  outcome: JobOutcome;
  done: (written: boolean) => void;
}

/**
 * Writes what handlers produced, batching whatever finished while the previous write was in flight into one
 * statement per kind. A dropped connection retries the batch on a fresh one until written (every write is fenced,
 * so a retry after the lease was lost changes nothing); any other error splits the batch so that one bad row fails
 * alone.
 */
export class JobOutcomeWriter {
  private readonly logger = new Logger('JobOutcomeWriter');
  private queue: Pending[] = [];
  private flushing = false;
  private stopped = false;

  constructor(
    private readonly repository: JobRepository,
    private readonly workerId: string,
  ) {}

  /** Resolves true once written, false when the row was no longer ours (fenced) or the writer stopped. */
  submit(outcome: JobOutcome): Promise<boolean> {
    return new Promise((done) => {
      this.queue.push({ outcome, done });
      if (!this.flushing) void this.flush();
    });
  }

  /** Gives up on retries (the process is exiting); unwritten jobs are recovered by the lease sweep. */
  stop(): void {
    this.stopped = true;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
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
      this.writeKind(byKind('released'), (items) =>
        this.repository.release(items.map(({ outcome }) => outcome.job), this.workerId),
      ),
      this.writeKind(byKind('cancelled'), async (items) => {
        await this.repository.releaseCancelled(items.map(({ outcome }) => outcome.job), this.workerId);
        return [];
      }),
    ]);
  }

  /** One statement for the batch; transient errors propagate (retry all), others split the batch row by row. */
  private async writeKind(items: Pending[], write: (items: Pending[]) => Promise<Array<{ id: string }>>): Promise<void> {
    if (items.length === 0) return;
    try {
      const written = new Set((await write(items)).map((row) => row.id));
      for (const item of items) item.done(written.has(item.outcome.job.id));
    } catch (error) {
      if (isTransientDatabaseError(error) || items.length === 1) {
        if (items.length === 1 && !isTransientDatabaseError(error)) {
          this.logger.error(`Job ${items[0].outcome.job.id}: its outcome could not be stored: ${(error as Error).message}`);
          items[0].done(false);
          return;
        }
        throw error;
      }
      for (const item of items) await this.writeKind([item], write);
    }
  }
}
