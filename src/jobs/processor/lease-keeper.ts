import { Logger } from '@nestjs/common';
import type { JobRepository } from '../job.repository.js';
import type { AbortCause, JobRun } from './job-run.js';

export interface LeaseKeeperHooks {
  runs: () => Iterable<JobRun>;
  onLost: (run: JobRun, cause: AbortCause) => void;
}

/**
 * Renews the leases of this process's running jobs three times per lease, in one statement. A job missing from the
 * answer was taken from us (swept after a freeze); a `cancelled` one was cancelled: both abort their handler. When
 * renewals keep failing until the leases are nearly spent, every handler is aborted before another worker may
 * take its job, and claiming pauses until a renewal succeeds again.
 */
export class LeaseKeeper {
  private readonly logger = new Logger('LeaseKeeper');
  private timer?: NodeJS.Timeout;
  private lastRenewedAt = Date.now();
  private renewing = false;
  healthy = true;

  constructor(
    private readonly repository: JobRepository,
    private readonly workerId: string,
    private readonly leaseMs: number,
    private readonly hooks: LeaseKeeperHooks,
  ) {}

  start(): void {
    this.lastRenewedAt = Date.now();
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async renew(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    const startedAt = Date.now();
    const runs = [...this.hooks.runs()];
    try {
      if (runs.length > 0) {
        const rows = await this.repository.heartbeat(runs.map((run) => run.held), this.workerId, this.leaseMs);
        const status = new Map(rows.map((row) => [row.id, row.status]));
        for (const run of runs) {
          const current = status.get(run.jobId);
          if (current === undefined) this.hooks.onLost(run, 'lease-lost');
          else if (current === 'cancelled') this.hooks.onLost(run, 'cancelled');
        }
      }
      // Measured from before the statement: the lease is counted from the database's now() during it.
      this.lastRenewedAt = startedAt;
      if (!this.healthy) this.logger.log('Leases renewed again; claiming resumes');
      this.healthy = true;
    } catch (error) {
      const spent = Date.now() - this.lastRenewedAt;
      this.logger.warn(`Lease renewal failed (${(error as Error).message}); last renewed ${spent} ms ago`);
      if (spent > this.leaseMs * 0.75) {
        if (this.healthy) this.logger.error('Leases about to expire: aborting running handlers and pausing claims');
        this.healthy = false;
        for (const run of runs) this.hooks.onLost(run, 'lease-lost');
      }
    } finally {
      this.renewing = false;
    }
  }
}
