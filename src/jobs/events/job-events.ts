import { Injectable, Logger } from '@nestjs/common';
import type { JobOutcome } from '../processor/job-outcome.writer.js';

/**
 * How one attempt ended, as stored: `completed`; `retried` (failed, back to pending for another attempt); `failed`
 * (failed for good: its last attempt); `cancelled` (its handler stopped after a cancel); `released` (handed back to
 * pending at shutdown, its attempt given back).
 */
export type JobAttemptOutcome = 'completed' | 'retried' | 'failed' | 'cancelled' | 'released';

/** The facts of a job that events carry: bounded by the configured handlers and queues, never an id. */
export interface JobEventSubject {
  name: string;
  queue: string;
  attempt: number;
  maxAttempts: number;
}

/**
 * What a listener may hear; every method is optional. Calls are synchronous and on the hot path: a listener updates
 * a counter or a histogram and returns. One that throws is not let through (see `JobEvents`).
 */
export interface JobEventListener {
  /** `count` new job rows of one queue and name (an enqueue that matched a live job's dedup key adds none). */
  enqueued?(queue: string, name: string, count: number): void;
  /** One claim statement took `count` jobs (0 included) in `claimMs` milliseconds. */
  claimed?(count: number, claimMs: number): void;
  /** A claimed job's handler starts; it had been due for `waitedMs` milliseconds (database clock). */
  started?(queue: string, name: string, waitedMs: number): void;
  /** An attempt's outcome was stored; its handler ran for `durationMs` milliseconds. */
  settled?(job: JobEventSubject, outcome: JobAttemptOutcome, durationMs: number): void;
  /** This process's lease sweep returned `count` jobs whose worker stopped renewing their lease. */
  rescued?(count: number): void;
}

/**
 * The jobs module's event hook, so that metrics (or anything else) can observe enqueues, claims and outcomes without
 * the module knowing about them. Near-free when nobody listens: each call loops over an empty array.
 *
 * A listener that throws never reaches the caller: events fire after the fact (an enqueue that has committed, a claim
 * that holds its jobs), so an error there would make a stored job look like a failed enqueue, or strand claimed jobs
 * until their lease expired. Its first error is logged; the others are dropped, so a broken listener cannot flood
 * the log from the hot path.
 */
@Injectable()
export class JobEvents {
  private readonly logger = new Logger('JobEvents');
  private listeners: JobEventListener[] = [];
  private readonly reported = new WeakSet<JobEventListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: JobEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /**
   * Rows an insert returned; only those it `created` count. Runs of one queue and name (a batch usually is one) are
   * reported once with their count.
   */
  enqueued(rows: ReadonlyArray<{ queue: string; name: string; created: boolean }>): void {
    if (this.listeners.length === 0) return;
    let count = 0;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index];
      if (row.created) count++;
      const next = rows[index + 1];
      if (count > 0 && (next === undefined || next.queue !== row.queue || next.name !== row.name)) {
        this.emit('enqueued', row.queue, row.name, count);
        count = 0;
      }
    }
  }

  claimed(count: number, claimMs: number): void {
    this.emit('claimed', count, claimMs);
  }

  started(queue: string, name: string, waitedMs: number): void {
    this.emit('started', queue, name, waitedMs);
  }

  /**
   * `kind` is the outcome the processor wrote (a fenced write that changed nothing is not reported); a failure is
   * `retried` unless it was the job's last attempt, as the fail statement decides. A result Postgres refused to store
   * is recorded as a failure but reported as `completed` (rare: a value a constraint forbids).
   */
  settled(job: JobEventSubject, kind: JobOutcome['kind'], durationMs: number): void {
    if (this.listeners.length === 0) return;
    const outcome = kind === 'failed' && job.attempt < job.maxAttempts ? 'retried' : kind;
    this.emit('settled', job, outcome, durationMs);
  }

  rescued(count: number): void {
    this.emit('rescued', count);
  }

  /** Calls `event` on every listener that has it; one that throws is contained there (see the class). */
  private emit<E extends keyof JobEventListener>(event: E, ...args: Parameters<NonNullable<JobEventListener[E]>>): void {
    for (const listener of this.listeners) {
      const hear = listener[event] as ((...heard: typeof args) => void) | undefined;
      if (!hear) continue;
      try {
        hear.apply(listener, args);
      } catch (error) {
        if (this.reported.has(listener)) continue;
        this.reported.add(listener);
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`A job event listener threw on '${event}' (${message}); ignored, as its further errors will be`);
      }
    }
  }
}
