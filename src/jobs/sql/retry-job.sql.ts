import { statement } from './statement.js';
import { JOB_COLUMNS } from './job-columns.js';

/**
 * Puts a failed or cancelled job back to `pending`, due now, attempts 0; result, lease and finish time cleared,
 * error history kept. A cancelled job whose handler still runs (lease held) is refused, so it never runs twice.
 * Wakes processors through $2.
 * Locks: the job's row, until commit.
 * $1 id, $2 wake channel.
 */
export const retryJobStatement = (schema: string, table: string) =>
  statement(
    schema,
    'retry',
    `WITH retried AS (
       UPDATE ${table}
          SET status = 'pending', run_at = now(), attempts = 0, result = NULL, locked_until = NULL,
              finished_at = NULL, started_at = NULL, progress = 0, worker_id = NULL
        WHERE id = $1 AND status IN ('failed', 'cancelled') AND (locked_until IS NULL OR locked_until < now())
       RETURNING ${JOB_COLUMNS}
     ), wake AS (SELECT pg_notify($2, ''))
     SELECT retried.* FROM retried, wake`,
  );
