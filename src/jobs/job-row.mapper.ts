import type { Job, JobAttemptError } from './interfaces/job.interface.js';
import type { JobStatus } from './interfaces/job-status.js';

/** A row of `JOB_COLUMNS` as `pg` returns it (bigint as string, timestamptz as Date, jsonb parsed). */
export interface JobRow {
  id: string;
  name: string;
  queue: string;
  status: JobStatus;
  priority: number;
  payload: unknown;
  result: unknown;
  error: { message: string; stack: string | null } | null;
  errors: JobAttemptError[];
  attempts: number;
  max_attempts: number;
  run_at: Date;
  progress: number;
  key: string | null;
  worker_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    name: row.name,
    queue: row.queue,
    status: row.status,
    priority: row.priority,
    payload: row.payload,
    result: row.result ?? null,
    error: row.error ?? null,
    errors: row.errors ?? [],
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at.toISOString(),
    progress: row.progress,
    key: row.key,
    workerId: row.worker_id,
    createdAt: row.created_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}
