import { statement } from './statement.js';
import { heldJobsFence } from './held-jobs.js';

/**
 * Hands jobs back at shutdown when their handlers outlived the grace period: `pending`, in their place in the queue
 * (run-at unchanged, so due at once), and the attempt given back (the job did not fail; the process stopped).
 * Fenced like completion.
 * Locks: row locks on this worker's own rows, for the statement.
 * $1 ids, $2 attempts, $3 worker id.
 */
export const releaseJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'release',
    `UPDATE ${table} AS j
        SET status = 'pending', attempts = j.attempts - 1, locked_until = NULL,
            worker_id = NULL, started_at = NULL, progress = 0
      WHERE ${heldJobsFence('$1::bigint[]', '$2::int[]', '$3')} AND j.status = 'processing'
     RETURNING j.id`,
  );

/**
 * Drops the lease a cancelled job kept while its handler still ran, once that handler returned; from then on the
 * job may be retried. Returns the ids whose lease was dropped.
 * Locks: row locks on this worker's own rows, for the statement.
 * $1 ids, $2 attempts, $3 worker id.
 */
export const releaseCancelledJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'release-cancelled',
    `UPDATE ${table} AS j SET locked_until = NULL
      WHERE ${heldJobsFence('$1::bigint[]', '$2::int[]', '$3')} AND j.status = 'cancelled'
     RETURNING j.id`,
  );
