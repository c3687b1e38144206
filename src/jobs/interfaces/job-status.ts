export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;

/** `pending → processing → completed | failed`, with `pending` again between retries; `cancelled` by request. */
export type JobStatus = (typeof JOB_STATUSES)[number];
