import { Logger } from '@nestjs/common';
import type { ClientBase } from 'pg';
import type { JobRepository } from '../job.repository.js';
import type { AbortCause, JobRun } from './job-run.js';
import type { LateWrites } from './late-writes.js';
import { LeaseWatchdog, WATCHDOG_AT } from './lease-watchdog.js';
import { monotonicMs } from './monotonic-clock.js';

export interface LeaseKeeperHooks {
  runs: () => Iterable<JobRun>;
  onLost: (run: JobRun, cause: AbortCause) => void;
  /** A connection of the processor's own to renew on, when it is up; otherwise renewals use the pool. */
  connection: () => ClientBase | undefined;
}

/** Share of the lease after which a handler whose lease could not be renewed is aborted. */
export const SELF_ABORT_AT = 0.75;

/**
 * Keeps this process's leases, and gives them up safely when it cannot:
 * - renews every running job's lease three times per lease, in one statement (sooner again after a failure), on the
 *   processor's dedicated connection when it is up, so that a pool exhausted by handlers cannot starve renewals;
 * - a running job missing from the answer was taken from us (swept after a freeze): its handler is aborted and the
 *   rejected renewal counted; a `cancelled` one was cancelled: its handler is aborted;
 * - a job whose lease was not confirmed for 75% of it (renewals failing, slow, or late because the event loop was
 *   blocked or the process stopped) has its handler aborted, and claiming pauses until a renewal succeeds;
 * - the watchdog thread kills the process when a handler still runs at 90% of an unconfirmed lease (it ignores its
 *   signal, or blocks the event loop), so that no lease ever expires under a running handler.
 * Every duration is measured on this process's monotonic clock from before the statement that set the lease.
 */
export class LeaseKeeper {
  private readonly logger = new Logger('LeaseKeeper');
  private readonly thirdMs: number;
  private readonly watchdog?: LeaseWatchdog;
  private renewTimer?: NodeJS.Timeout;
  private guardTimer?: NodeJS.Timeout;
  private renewDueAt = 0;
  private stopped = false;
  /** False once a lease went unconfirmed for 75% of it; true again after the next successful renewal. */
  healthy = true;

  constructor(
    private readonly repository: JobRepository,
    private readonly workerId: string,
    private readonly leaseMs: number,
    private readonly lateWrites: LateWrites,
    private readonly hooks: LeaseKeeperHooks,
    watchdog: boolean,
  ) {
    this.thirdMs = Math.max(100, Math.floor(leaseMs / 3));
    if (watchdog) this.watchdog = new LeaseWatchdog(leaseMs, `worker ${workerId}`);
  }

  start(): void {
    this.watchdog?.start();
    this.schedule(this.thirdMs);
    this.guardTimer = setInterval(() => this.guard(), Math.max(20, Math.min(1_000, Math.floor(this.leaseMs / 20))));
  }

  /** Stops renewing. The watchdog stays until `release()`: a handler still running keeps being watched. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.renewTimer);
    clearInterval(this.guardTimer);
  }

  /** No handler runs any more (or the process is exiting): the watchdog can go. */
  release(): void {
    this.watchdog?.stop();
  }

  /** Tells the watchdog how many handlers run and when the first reaches 90% of its confirmed lease. */
  sync(): void {
    if (!this.watchdog) return;
    let running = 0;
    let deadline = Infinity;
    for (const run of this.hooks.runs()) {
      if (run.settled) continue;
      running += 1;
      deadline = Math.min(deadline, run.leaseConfirmedAt + this.leaseMs * WATCHDOG_AT);
    }
    this.watchdog.update(running, deadline);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.renewDueAt = monotonicMs() + delayMs;
    this.renewTimer = setTimeout(() => void this.renew(), delayMs);
  }

  private async renew(): Promise<void> {
    const runs = [...this.hooks.runs()].filter((run) => !run.leaseLost);
    if (runs.length === 0 && this.healthy) return this.schedule(this.thirdMs);
    const startedAt = monotonicMs();
    const lateMs = startedAt - this.renewDueAt;
    if (lateMs > this.leaseMs / 6) {
      this.logger.warn(`Lease renewal ran ${lateMs} ms late: the event loop was blocked (or the process stopped)`);
    }
    let nextMs = this.thirdMs;
    try {
      // Also with no job running while unhealthy: a renewal that succeeds is what lets claiming resume.
      const rows = await this.repository.heartbeat(runs.map((run) => run.held), this.workerId, this.leaseMs, this.hooks.connection());
      const status = new Map(rows.map((row) => [String(row.id), row.status]));
      const lost: JobRun[] = [];
      for (const run of runs) {
        const current = status.get(run.jobId);
        // A settled run's outcome write may have just landed: its writer tells whether it was ours.
        if (current === undefined && run.settled) continue;
        if (current === undefined) {
          run.leaseLost = true;
          lost.push(run);
          this.hooks.onLost(run, 'lease-lost');
          continue;
        }
        run.leaseConfirmedAt = Math.max(run.leaseConfirmedAt, startedAt);
        if (current === 'cancelled') this.hooks.onLost(run, 'cancelled');
      }
      this.lateWrites.record('heartbeat', lost.map((run) => run.held));
      if (!this.healthy) this.logger.log('Leases renewed again; claiming resumes');
      this.healthy = true;
    } catch (error) {
      nextMs = Math.max(100, Math.floor(this.leaseMs / 10));
      this.logger.warn(`Lease renewal failed (${(error as Error).message}); retrying in ${nextMs} ms`);
    } finally {
      this.sync();
      this.schedule(nextMs);
    }
  }

  /** Aborts the handlers of leases unconfirmed for 75% of the lease, and pauses claims. */
  private guard(): void {
    const now = monotonicMs();
    const limitMs = this.leaseMs * SELF_ABORT_AT;
    const expiring = [...this.hooks.runs()].filter((run) => !run.leaseLost && now - run.leaseConfirmedAt >= limitMs);
    if (expiring.length === 0) return;
    const newlyAborted = expiring.filter((run) => !run.settled && !run.abortCause);
    for (const run of expiring) if (!run.settled) this.hooks.onLost(run, 'lease-lost');
    if (this.healthy || newlyAborted.length > 0) {
      this.logger.error(
        `Leases of ${expiring.length} jobs not renewed for ${Math.round(limitMs)} ms (database unreachable, or the event loop ` +
          `blocked): aborting their handlers${newlyAborted.length ? ` (jobs ${newlyAborted.map((run) => run.jobId).join(', ')})` : ''} ` +
          'and pausing claims until a renewal succeeds',
      );
    }
    this.healthy = false;
  }
}
