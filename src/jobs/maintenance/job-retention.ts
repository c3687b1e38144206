import type { JobRetentionOptions } from '../interfaces/jobs-module-options.interface.js';

/** Job name and schedule name of the built-in prune. */
export const PRUNE_JOB_NAME = 'jobs.prune';

export type ResolvedRetention = Required<JobRetentionOptions>;

/** Retention with its defaults: completed 7 days, failed and cancelled 30 days, hourly at minute 5, 1000 a batch. */
export function resolveRetention(options: JobRetentionOptions = {}): ResolvedRetention {
  const resolved = {
    completedDays: options.completedDays ?? 7,
    failedDays: options.failedDays ?? 30,
    cron: options.cron ?? '5 * * * *',
    batchSize: options.batchSize ?? 1_000,
  };
  for (const field of ['completedDays', 'failedDays'] as const) {
    if (!Number.isInteger(resolved[field]) || resolved[field] < 0) {
      throw new Error(`JobsModule retention.${field} must be an integer ≥ 0 (0 keeps them).`);
    }
  }
  if (!Number.isInteger(resolved.batchSize) || resolved.batchSize < 1) {
    throw new Error('JobsModule retention.batchSize must be a positive integer.');
  }
  return resolved;
}

/** Fire rows live as long as the longer job retention; forever when either kind of job is kept forever. */
export const fireRetentionDays = (retention: ResolvedRetention): number =>
  retention.completedDays === 0 || retention.failedDays === 0 ? 0 : Math.max(retention.completedDays, retention.failedDays);
