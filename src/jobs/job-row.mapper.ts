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

// The rows of one statement mostly share their times (one transaction's now()): a batch of 1,000 new jobs has one
// creation time and, unless delayed, one run-at. Remembering the last conversion spares the rest (toISOString was
// the costliest step of mapping such a batch).
let lastTime = NaN;
let lastIso = '';
const isoOf = (value: Date): string => {
  const time = value.getTime();
  if (time !== lastTime) {
    lastIso = value.toISOString();
    lastTime = time;
  }
  return lastIso;
};
const iso = (value: Date | null): string | null => (value ? isoOf(value) : null);

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
    runAt: isoOf(row.run_at),
    progress: row.progress,
    key: row.key,
    workerId: row.worker_id,
    createdAt: isoOf(row.created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}
