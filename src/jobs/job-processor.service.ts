import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import type { JobProcessingOptions } from './interfaces/jobs-module-options.interface.js';
import type { JobHandlerRegistry } from './job-handler.registry.js';
import type { ClaimedJobRow, JobRepository } from './job.repository.js';
import type { JobsDatabase } from './jobs-database.js';
import type { JobEvents } from './events/job-events.js';
import { JobRun } from './processor/job-run.js';
import { JobOutcomeWriter, completionsOf } from './processor/job-outcome.writer.js';
import { isTransientDatabaseError } from './processor/transient-error.js';
import { JobNotificationsListener } from './processor/job-notifications.listener.js';
import { LateWrites } from './processor/late-writes.js';
import { LeaseKeeper } from './processor/lease-keeper.js';
import { monotonicMs } from './processor/monotonic-clock.js';
import { createWorkerId } from './processor/worker-id.js';
import { JobOutcomes, type HandlerSettlement } from './processor/job-outcomes.js';
import { WakeSignal } from './processor/wake-signal.js';

const RESCUE_BATCH = 500;

/** What a processor has done that operators and the fault suite count. */
export interface JobProcessorStats {
  /** Handlers running now. */
  running: number;
  /** Fenced writes (heartbeat, progress, result, failure, release) that changed nothing: the job was no longer ours. */
  lateWritesRejected: number;
  /** False while leases go unrenewed (claims paused). */
  leasesHealthy: boolean;
}

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
  /** Jobs this process holds: handlers running, and settled ones whose outcome is not stored yet. */
  private readonly active = new Map<string, JobRun>();
  /** Handlers whose promise has not settled: what `concurrency` bounds. */
  private handlersRunning = 0;
  private readonly wake = new WakeSignal();
  private readonly lateWrites: LateWrites;
  private readonly outcomes: JobOutcomes;
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
    private readonly events: JobEvents,
  ) {
    this.concurrency = options.concurrency ?? 10;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.lateWrites = new LateWrites(repository, this.workerId);
    this.outcomes = new JobOutcomes(this.leaseMs);
    this.writer = new JobOutcomeWriter(repository, this.workerId, this.lateWrites, (outcome, error) =>
      this.outcomes.refused(this.active.get(outcome.job.id), outcome, error),
    );
    this.leases = new LeaseKeeper(
      repository,
      this.workerId,
      this.leaseMs,
      this.lateWrites,
      { runs: () => this.active.values(), onLost: (run, cause) => run.abort(cause), connection: () => this.listener?.connection },
      options.leaseWatchdog ?? true,
    );
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

  /** Counters since start (see `JobProcessorStats`). */
  stats(): JobProcessorStats {
    return { running: this.active.size, lateWritesRejected: this.lateWrites.rejected, leasesHealthy: this.leases.healthy };
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
      if (this.freeSlots() <= 0 || names.length === 0 || !this.leases.healthy) {
        await this.wake.wait(pollMs);
        continue;
      }
      this.wake.reset();
      // Handlers that settle in this turn of the event loop free their slots together: one claim takes them all.
      // With none running (an idle processor woken by a notification), nothing can settle: claim at once.
      if (this.handlersRunning > 0) await yieldToEventLoop();
      const limit = this.freeSlots();
      if (this.stopping || limit <= 0) continue;
      let claimed: ClaimedJobRow[];
      // Before the statement: the lease it sets runs at least from here on this process's clock.
      const claimedAt = monotonicMs();
      // The results of the handlers whose slots this claim refills go along: one round trip and one commit for both.
      const finished = this.writer.takeCompletions();
      try {
        if (finished.length === 0) {
          claimed = await this.repository.claim(names, this.options.queues, limit, this.concurrency, this.workerId, this.leaseMs);
        } else {
          const both = await this.repository.completeAndClaim(
            completionsOf(finished),
            names,
            this.options.queues,
            limit,
            this.concurrency,
            this.workerId,
            this.leaseMs,
          );
          this.writer.settleTaken(finished, new Set(both.completed));
          claimed = both.claimed;
        }
        this.events.claimed(claimed.length, monotonicMs() - claimedAt);
        errorDelayMs = 100;
      } catch (error) {
        this.writer.returnTaken(finished, error);
        // Refused for what it held (a result Postgres cannot store, most likely): the writer stores those on their
        // own, and the claim goes again at once without them.
        if (finished.length > 0 && !isTransientDatabaseError(error)) continue;
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
      this.backlog = claimed.length === limit;
      if (claimed.length > 1) claimed.sort((a, b) => a.priority - b.priority);
      for (const row of claimed) this.run(row, claimedAt);
      if (!this.backlog) await this.wake.wait(pollMs);
    }
  }

  /**
   * Slots for new claims: `concurrency` bounds the handlers running at once. A settled handler frees its slot before
   * its outcome is stored (outcomes are written in batches while the next jobs run), but the jobs held while their
   * outcome waits for the database count too, so that a slow database never lets this process hold more than twice
   * `concurrency` jobs.
   */
  private freeSlots(): number {
    return Math.min(this.concurrency - this.handlersRunning, 2 * this.concurrency - this.active.size);
  }

  private run(row: ClaimedJobRow, claimedAt: number): void {
    const handler = this.registry.get(row.name);
    if (!handler) return; // unreachable: claims only ask for registered names
    const run = new JobRun(row, handler, this.repository, this.workerId, {
      claimedAt,
      onProgressRejected: (rejected) => this.lateWrites.record('progress', [rejected.held]),
    });
    this.active.set(run.jobId, run);
    this.events.started(row.queue, row.name, row.waited_ms);
    this.handlersRunning += 1;
    this.leases.sync();
    void this.execute(run);
  }

  private async execute(run: JobRun): Promise<void> {
    let settled: HandlerSettlement;
    const startedAt = performance.now();
    try {
      settled = { threw: false, value: await run.callHandler() };
    } catch (error) {
      settled = { threw: true, error };
    }
    run.finish();
    const durationMs = performance.now() - startedAt;
    this.handlersRunning -= 1;
    this.leases.sync();
    if (this.backlog) this.wake.fire();
    // The run stays active (its lease renewed) until its outcome is stored, however long the database takes; a write
    // the fence rejects is logged and counted by the writer. A run whose renewal found the job taken over writes
    // nothing: the fence would reject it (that renewal was counted).
    if (!run.leaseLost) {
      const outcome = this.outcomes.of(run, settled);
      if (await this.writer.submit(outcome)) this.events.settled(run, outcome.kind, durationMs);
    }
    this.active.delete(run.jobId);
    this.leases.sync();
    if (this.active.size === 0) this.drained?.();
    if (this.backlog) this.wake.fire();
  }

  private async sweep(): Promise<void> {
    try {
      const rescued = await this.repository.rescueExpired(RESCUE_BATCH);
      this.events.rescued(rescued.length);
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
    // A handler still running keeps the watchdog: should this process not exit, it dies before that lease expires.
    if ([...this.active.values()].every((run) => run.settled)) this.leases.release();
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
