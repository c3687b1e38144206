import { statement } from './statement.js';
import { heldJobsFence } from './held-jobs.js';

/**
 * Renews the leases of this worker's running jobs to now + $3 ms (database clock). Fenced: only rows this worker
 * still holds under the same attempt. A cancelled job keeps its lease while its handler runs, so that it cannot be
 * retried (and run twice) before the handler returns. Rows missing from the result were lost; `cancelled` rows
 * tell the worker to abort.
 * Locks: row locks on this worker's own rows, for the statement.
 * $1 ids, $2 attempts, $3 lease ms, $4 worker id.
 */
export const heartbeatJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'heartbeat',
    `UPDATE ${table} AS j
        SET locked_until = now() + make_interval(secs => $3 / 1000.0)
      WHERE ${heldJobsFence('$1::bigint[]', '$2::int[]', '$4')}
        AND j.status IN ('processing', 'cancelled') AND j.locked_until IS NOT NULL
     RETURNING j.id, j.status`,
  );
