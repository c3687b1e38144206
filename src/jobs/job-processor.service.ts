import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobProcessingOptions } from './interfaces/jobs-module-options.interface.js';
import type { JobHandlerRegistry } from './job-handler.registry.js';
import type { ClaimedJobRow, JobRepository } from './job.repository.js';
import type { JobsDatabase } from './jobs-database.js';
import { JobRun } from './processor/job-run.js';
import { JobOutcomeWriter, type JobOutcome } from './processor/job-outcome.writer.js';
import { JobNotificationsListener } from './processor/job-notifications.listener.js';
import { LeaseKeeper } from './processor/lease-keeper.js';
import { createWorkerId } from './processor/worker-id.js';
import { errorDetails } from './processor/error-details.js';
import { retryDelayMs } from './processor/retry-delay.js';
import { serializeResult } from './processor/serialize-result.js';
import { WakeSignal } from './processor/wake-signal.js';

const RESCUE_BATCH = 500;

/** How a handler call ended. */
type HandlerSettlement = { threw: false; value: unknown } | { threw: true; error: unknown };

/**
 * Claims due jobs, runs their handlers and writes the outcomes back. Exists only in processes with processing
 * enabled (the `JobsModule` factory omits it otherwise). Starts once the application is bootstrapped and the
 * database is ready; on shutdown it stops claiming, lets handlers finish within the grace period, then releases
 * the rest.
 */
export class JobProcessorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobProcessor');
  readonly workerId = createWorkerId();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly active = new Map<string, JobRun>();
  private readonly wake = new WakeSignal();
  private readonly writer: JobOutcomeWriter;
  private readonly leases: LeaseKeeper;
  private listener?: JobNotificationsListener;
  private sweepTimer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private stopping = false;
  /** The last claim filled every free slot: more may be due, so a freed slot claims again at once. */
  private backlog = false;
  private lastLoopAt = 0;
  private drained?: () => void;

  constructor(
    private readonly options: JobProcessingOptions,
    private readonly registry: JobHandlerRegistry,
    private readonly repository: JobRepository,
    private readonly database: JobsDatabase,
  ) {
    this.concurrency = options.concurrency ?? 10;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.writer = new JobOutcomeWriter(repository, this.workerId);
    this.leases = new LeaseKeeper(repository, this.workerId, this.leaseMs, {
      runs: () => this.active.values(),
      onLost: (run, cause) => run.abort(cause),
    });
  }

  onApplicationBootstrap(): void {
    this.loop = this.database.ready.then(() => this.start());
  }

  /** The loop runs and has turned recently (readiness). */
  isAlive(): boolean {
    const bound = Math.max(3 * (this.options.pollIntervalMs ?? 1_000), 10_000);
    return this.lastLoopAt > 0 && !this.stopping && Date.now() - this.lastLoopAt < bound;
  }

  /** Jobs running in this process now. */
  get runningCount(): number {
    return this.active.size;
  }

  private async start(): Promise<void> {
    if (this.stopping) return;
    this.listener = new JobNotificationsListener(
      this.database.pool,
      { wake: this.database.wakeChannel, cancel: this.database.cancelChannel },
      {
        onWake: () => this.wake.fire(),
        onCancel: (id) => this.active.get(id)?.abort('cancelled'),
        onConnected: () => this.wake.fire(),
      },
    );
    this.listener.start();
    this.leases.start();
    const sweepMs = this.options.sweepIntervalMs ?? 5_000;
    this.sweepTimer = setInterval(() => void this.sweep(), sweepMs);
    this.logger.log(
      `Worker ${this.workerId} processing ${this.registry.names().length} job names` +
        ` (concurrency ${this.concurrency}, queues ${this.options.queues?.join(',') ?? 'all'}, lease ${this.leaseMs} ms)`,
    );
    await this.runLoop();
  }

  private async runLoop(): Promise<void> {
    const names = this.registry.names();
    const pollMs = this.options.pollIntervalMs ?? 1_000;
    let errorDelayMs = 100;
    while (!this.stopping) {
      this.lastLoopAt = Date.now();
      const free = this.concurrency - this.active.size;
      if (free <= 0 || names.length === 0 || !this.leases.healthy) {
        await this.wake.wait(pollMs);
        continue;
      }
      this.wake.reset();
      let claimed: ClaimedJobRow[];
      try {
        claimed = await this.repository.claim(names, this.options.queues, free, this.workerId, this.leaseMs);
        errorDelayMs = 100;
      } catch (error) {
        this.logger.warn(`Claim failed (${(error as Error).message}); retrying in ${errorDelayMs} ms`);
        await this.wake.wait(errorDelayMs);
        errorDelayMs = Math.min(errorDelayMs * 2, 5_000);
        continue;
      }
      if (this.stopping) {
        // Claimed while shutdown began: hand them straight back.
        await Promise.all(claimed.map((row) => this.writer.submit({ kind: 'released', job: { id: row.id, attempt: row.attempts } })));
        break;
      }
      this.backlog = claimed.length === free;
      claimed.sort((a, b) => a.priority - b.priority);
      for (const row of claimed) this.run(row);
      if (!this.backlog) await this.wake.wait(pollMs);
    }
  }

  private run(row: ClaimedJobRow): void {
    const handler = this.registry.get(row.name);
    if (!handler) return; // unreachable: claims only ask for registered names
    const run = new JobRun(row, handler, this.repository, this.workerId);
    this.active.set(run.jobId, run);
    void this.execute(run);
  }

  private async execute(run: JobRun): Promise<void> {
    let outcome: JobOutcome | undefined;
    try {
      const value = await run.handler.handle(run.payload, run.context());
      run.finish();
      outcome = this.outcomeOf(run, { threw: false, value });
    } catch (error) {
      run.finish();
      outcome = this.outcomeOf(run, { threw: true, error });
    }
    if (outcome) {
      const written = await this.writer.submit(outcome);
      if (!written && outcome.kind !== 'cancelled') {
        this.logger.warn(`Job ${run.jobId} attempt ${run.attempt}: outcome not stored, the job is no longer held by this worker`);
      }
    }
    this.active.delete(run.jobId);
    if (this.active.size === 0) this.drained?.();
    if (this.backlog) this.wake.fire();
  }

  /** What a settled handler means for its row, given why (if at all) its signal was aborted. */
  private outcomeOf(run: JobRun, settled: HandlerSettlement): JobOutcome | undefined {
    switch (run.abortCause) {
      case 'cancelled':
        return { kind: 'cancelled', job: run.held };
      case 'lease-lost':
        return undefined; // someone else owns the row now; any write would be fenced out
      case 'shutdown':
        return { kind: 'released', job: run.held };
      case 'timeout':
        return this.failure(run, new Error(`Job timed out after ${run.handler.options.timeoutMs} ms`));
    }
    // `threw`, not `error !== undefined`: `throw undefined` is a failure too.
    if (settled.threw) return this.failure(run, settled.error);
    const serialized = serializeResult(settled.value);
    if ('error' in serialized) return this.failure(run, serialized.error);
    return { kind: 'completed', job: run.held, result: serialized.json };
  }

  private failure(run: JobRun, error: unknown): JobOutcome {
    const { message, stack } = errorDetails(error);
    const last = run.attempt >= run.maxAttempts;
    this.logger.warn(`Job ${run.name}#${run.jobId} attempt ${run.attempt}/${run.maxAttempts} failed${last ? ' for good' : ''}: ${message}`);
    return {
      kind: 'failed',
      job: { ...run.held, message, stack, retryDelayMs: retryDelayMs(run.attempt, run.handler.options.backoff) },
    };
  }

  private async sweep(): Promise<void> {
    try {
      const rescued = await this.repository.rescueExpired(RESCUE_BATCH);
      if (rescued.length > 0) {
        this.logger.warn(`Returned ${rescued.length} jobs whose lease expired: ${rescued.map((row) => `${row.id}→${row.status}`).join(', ')}`);
        this.wake.fire();
      }
    } catch (error) {
      this.logger.warn(`Lease sweep failed: ${(error as Error).message}`);
    }
  }

  /**
   * SIGTERM: stop claiming, let handlers finish within the grace period, then abort the rest and release the jobs of
   * those that stop; a handler that ignores its signal keeps its job's lease, so that its job never starts elsewhere
   * while it still runs.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake.fire();
    clearInterval(this.sweepTimer);
    await this.loop?.catch(() => undefined);
    const graceMs = this.options.shutdownGraceMs ?? 25_000;
    if (this.active.size > 0) {
      this.logger.log(`Shutting down: waiting up to ${graceMs} ms for ${this.active.size} running jobs`);
      await this.waitForDrain(graceMs);
    }
    if (this.active.size > 0) {
      this.logger.warn(`Grace period over: aborting ${this.active.size} jobs and releasing them to pending`);
      for (const run of this.active.values()) run.abort('shutdown');
      await this.waitForDrain(1_000);
      // A handler that ignores its signal still runs until this process exits. Releasing its row now would let
      // another worker start the job while it does; instead the row keeps its lease (renewed at most a third of a
      // lease ago), which expires only after the exit, and another worker's lease sweep returns it, counting the
      // attempt as a crash would, so that a job that always hangs still ends `failed` after its max attempts.
      const stuck = [...this.active.values()].filter((run) => !run.settled);
      if (stuck.length > 0) {
        this.logger.error(
          `${stuck.length} handlers ignored their signal (jobs ${stuck.map((run) => run.jobId).join(', ')}): ` +
            'their jobs keep their lease and return to pending through the lease sweep once this process has exited',
        );
      }
    }
    this.leases.stop();
    this.writer.stop();
    await this.listener?.stop();
    this.database.stop();
  }

  private async waitForDrain(timeoutMs: number): Promise<void> {
    if (this.active.size === 0) return;
    await Promise.race([new Promise<void>((resolve) => (this.drained = resolve)), sleep(timeoutMs)]);
    this.drained = undefined;
  }
}
