import type { JobStatus } from './job-status.js';

/** One failed attempt, kept in the job's error history. */
export interface JobAttemptError {
  attempt: number;
  message: string;
  stack: string | null;
  at: string;
}

/** A job as the API returns it. `id` is a bigint, carried as a string so that JSON never loses precision. */
export interface Job<Payload = unknown, Result = unknown> {
  id: string;
  name: string;
  queue: string;
  status: JobStatus;
  priority: number;
  payload: Payload;
  result: Result | null;
  /** The last failure. */
  error: { message: string; stack: string | null } | null;
  /** Every failed attempt, oldest first. */
  errors: JobAttemptError[];
  attempts: number;
  maxAttempts: number;
  runAt: string;
  progress: number;
  key: string | null;
  /** The process that ran (or runs) it: `host:pid:tag`. */
  workerId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
