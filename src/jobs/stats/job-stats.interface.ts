import type { JobStatus } from '../interfaces/job-status.js';

/** Jobs of one queue in one status. */
export interface JobCount {
  queue: string;
  status: JobStatus;
  count: number;
}

/** The cluster-wide snapshot of job counts (see `JobStatsService.counts`). */
export interface JobCounts {
  /** When the snapshot was counted (database clock); null before the first count. */
  takenAt: Date | null;
  /** Every (queue, status) pair with at least one job. */
  byQueue: JobCount[];
  /** Per status, over all queues; every status present, 0 when none. */
  totals: Record<JobStatus, number>;
}

/** Jobs that finished in one minute. */
export interface ThroughputMinute {
  /** Start of the minute (database clock). */
  minute: Date;
  completed: number;
  failed: number;
}
