import { Logger } from '@nestjs/common';
import type { HeldJob, JobHolderRow, JobRepository } from '../job.repository.js';
import { withJobLogContext } from './job-log-context.js';

/** The fenced writes a processor makes after a claim. */
export type FencedWriteKind = 'heartbeat' | 'progress' | 'complete' | 'fail' | 'release' | 'release-cancelled';

/**
 * Counts and logs fenced writes that changed nothing: the job was no longer `processing` under this worker and
 * attempt (its lease was swept and the job taken over, it was cancelled, or it is gone). Each one is a late writer
 * stopped by the fence, so each is logged at `warn` with a line starting `Late write rejected` and who holds the
 * job now.
 */
export class LateWrites {
  private readonly logger = new Logger('LateWrites');
  private count = 0;

  constructor(
    private readonly repository: JobRepository,
    private readonly workerId: string,
  ) {}

  /** Fenced writes rejected since start. */
  get rejected(): number {
    return this.count;
  }

  /** Counts at once; the log lines follow once the jobs' holders are read (`holders` when already known). */
  record(kind: FencedWriteKind, jobs: HeldJob[], holders?: Map<string, JobHolderRow>): void {
    if (jobs.length === 0) return;
    this.count += jobs.length;
    void this.log(kind, jobs, holders);
  }

  private async log(kind: FencedWriteKind, jobs: HeldJob[], known?: Map<string, JobHolderRow>): Promise<void> {
    let holders = known;
    if (!holders) {
      try {
        holders = byId(await this.repository.holders(jobs.map((job) => job.id)));
      } catch {
        holders = undefined; // the count stands; only the explanation is missing
      }
    }
    for (const job of jobs) {
      withJobLogContext({ jobId: job.id, attempt: job.attempt }, () =>
        this.logger.warn(
          `Late write rejected: ${kind} of job ${job.id} attempt ${job.attempt} changed nothing; ${this.describe(job, holders?.get(job.id), holders !== undefined)}`,
        ),
      );
    }
  }

  private describe(job: HeldJob, holder: JobHolderRow | undefined, known: boolean): string {
    if (!known) return 'its holder could not be read';
    if (!holder) return 'the job no longer exists';
    if (holder.worker_id === this.workerId && holder.attempts === job.attempt) return `the job is ${holder.status}`;
    return `the job is ${holder.status}, attempt ${holder.attempts} of worker ${holder.worker_id ?? 'none'}`;
  }
}

export const byId = (rows: JobHolderRow[]): Map<string, JobHolderRow> => new Map(rows.map((row) => [String(row.id), row]));
