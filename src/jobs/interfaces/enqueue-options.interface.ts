import type { EntityManager } from 'typeorm';

/** Options of `JobsService.enqueue`. */
export interface EnqueueOptions {
  /** −1000…1000; lower runs first. Default 0. */
  priority?: number;
  /** Not before this time. Default now. Exclusive with `delayMs`. */
  runAt?: Date | string;
  /** Not before now + this many milliseconds (database clock). Exclusive with `runAt`. */
  delayMs?: number;
  /** Attempts before the job is `failed`. Default: the handler's `maxAttempts`, else 3. */
  maxAttempts?: number;
  /** Queue. Default: the handler's `queue`, else `default`. */
  queue?: string;
  /**
   * Dedup key: while a job with this key is pending or processing, enqueueing with the same key returns that job
   * unchanged. Default none.
   */
  key?: string;
  /** Enqueue inside this transaction: the job exists only if it commits. Default: autocommit on the pool. */
  manager?: EntityManager;
}

/** One job of `JobsService.enqueueMany`. */
export interface EnqueueRequest<Payload = unknown> extends Omit<EnqueueOptions, 'manager'> {
  name: string;
  payload?: Payload;
}

/** What `enqueue` returns: the job, and whether this call created it (false: the dedup key matched). */
export interface EnqueueResult<Payload = unknown> {
  job: Job<Payload>;
  created: boolean;
}

import type { Job } from './job.interface.js';
