/** Metadata key under which `@Scheduled` stores its declarations (namespaced like `JOB_HANDLER_METADATA`). */
export const SCHEDULED_METADATA = 'jobs:scheduled_metadata';

export const MISSED_POLICIES = ['skip', 'runOnce'] as const;
export const OVERLAP_POLICIES = ['skip', 'allow'] as const;

export const DEFAULT_TIMEZONE = 'UTC';
export const DEFAULT_MISSED = 'skip';
export const DEFAULT_OVERLAP = 'allow';

/** How often a processing container looks for schedules changed by other containers. */
export const DEFAULT_REFRESH_INTERVAL_MS = 1_000;
/**
 * A tick decided at most this long after its time is late, not missed: it fires as usual. Older undecided ticks
 * were missed (no container ran) and follow the schedule's `missed` policy.
 */
export const DEFAULT_MISSED_TOLERANCE_MS = 30_000;
export const MAX_MISSED_TOLERANCE_MS = 300_000;

/** Runs listed with each schedule. */
export const LAST_RUNS_SHOWN = 5;
