import { Logger, type LoggerService } from '@nestjs/common';
import type { ClaimedJobRow, JobRepository } from '../job.repository.js';
import type { RegisteredJobHandler } from '../job-handler.registry.js';
import type { JobContext } from '../interfaces/job-context.interface.js';
import { withJobLogContext, type JobLogFields } from './job-log-context.js';

/** Why a handler's signal was aborted; decides what its outcome means. */
export type AbortCause = 'timeout' | 'cancelled' | 'lease-lost' | 'shutdown';

export interface JobRunHooks {
  /** When the claim that set this run's lease was sent (monotonic ms). */
  claimedAt: number;
  /** A progress write was fenced out: the job is no longer held by this run. */
  onProgressRejected: (run: JobRun) => void;
}

/** One claimed job while it runs in this process: its signal, timeout, progress writes, lease and context. */
export class JobRun {
  readonly jobId: string;
  readonly name: string;
  readonly queue: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly priority: number;
  readonly payload: unknown;
  private readonly controller = new AbortController();
  private timeoutTimer?: NodeJS.Timeout;
  private loggerValue?: LoggerService;
  abortCause?: AbortCause;
  /** The handler's promise has settled (its code no longer runs). */
  settled = false;
  /**
   * When the last statement that set this job's lease (its claim, or a renewal that found the row ours) was sent, on
   * the monotonic clock: the lease runs at least until then + lease ms, whatever the database's clock says.
   */
  leaseConfirmedAt: number;
  /** A renewal found the row no longer ours: the job was taken over (or cancelled and retried). */
  leaseLost = false;
  private progressRejected = false;
  private progressWanted?: number;
  private progressWrite?: Promise<void>;

  constructor(
    row: ClaimedJobRow,
    readonly handler: RegisteredJobHandler,
    private readonly repository: JobRepository,
    private readonly workerId: string,
    private readonly hooks: JobRunHooks,
  ) {
    this.leaseConfirmedAt = hooks.claimedAt;
    this.jobId = row.id;
    this.name = row.name;
    this.queue = row.queue;
    this.attempt = row.attempts;
    this.maxAttempts = row.max_attempts;
    this.priority = row.priority;
    this.payload = row.payload;
    const timeoutMs = handler.options.timeoutMs;
    if (timeoutMs) this.timeoutTimer = setTimeout(() => this.abort('timeout'), timeoutMs);
  }

  /** What the handler receives: the job's facts and tools, none of the processor's controls. */
  context(): JobContext {
    const run = this;
    return {
      jobId: this.jobId,
      name: this.name,
      queue: this.queue,
      attempt: this.attempt,
      maxAttempts: this.maxAttempts,
      signal: this.controller.signal,
      progress: (percent: number) => run.progress(percent),
      get logger() {
        return run.logger;
      },
    };
  }

  /** Calls the handler inside this run's job log context: every line logged on its behalf names the job. */
  callHandler(): Promise<unknown> {
    return withJobLogContext(this.logFields, async () => this.handler.handle(this.payload, this.context()));
  }

  /** What the processor's own lines about this run carry (`job-log-context.ts`). */
  get logFields(): JobLogFields {
    return { jobId: this.jobId, jobName: this.name, attempt: this.attempt };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get held() {
    return { id: this.jobId, attempt: this.attempt };
  }

  // Created on first use: most handlers never log, and the hot path allocates nothing it does not need.
  get logger(): LoggerService {
    this.loggerValue ??= new Logger(`Job ${this.name}#${this.jobId} attempt ${this.attempt}`);
    return this.loggerValue;
  }

  /** The first cause wins: a job cancelled during shutdown stays cancelled. */
  abort(cause: AbortCause): void {
    if (this.abortCause) return;
    this.abortCause = cause;
    clearTimeout(this.timeoutTimer);
    this.controller.abort(new Error(`Job ${this.jobId} aborted: ${cause}`));
  }

  finish(): void {
    this.settled = true;
    clearTimeout(this.timeoutTimer);
  }

  /** Coalesced: at most one write in flight per job; the latest percent wins. */
  progress(percent: number): Promise<void> {
    if (typeof percent !== 'number' || Number.isNaN(percent)) return Promise.reject(new TypeError('progress(percent) takes a number from 0 to 100'));
    this.progressWanted = Math.max(0, Math.min(100, Math.round(percent)));
    this.progressWrite ??= this.writeProgress();
    return this.progressWrite;
  }

  private async writeProgress(): Promise<void> {
    try {
      while (this.progressWanted !== undefined && !this.abortCause && !this.progressRejected) {
        const percent = this.progressWanted;
        this.progressWanted = undefined;
        if (!(await this.repository.updateProgress(this.held, this.workerId, percent))) {
          // The job is no longer ours: later progress would be rejected as well.
          this.progressRejected = true;
          this.hooks.onProgressRejected(this);
        }
      }
    } catch (error) {
      this.logger.warn(`progress could not be stored: ${(error as Error).message}`);
    } finally {
      this.progressWrite = undefined;
    }
  }
}
