import { statement } from './statement.js';
import { qualifiedJobColumns } from './job-columns.js';

/**
 * Cancels a pending or running job. A running one keeps its lease (its handler may still run; see heartbeat) and
 * its owner is told through NOTIFY on $2, whichever process it is. Returns nothing when the job is missing or
 * already finished.
 * Locks: the job's row, until commit.
 * $1 id, $2 cancel channel.
 */
export const cancelJobStatement = (schema: string, table: string) =>
  statement(
    schema,
    'cancel',
    `WITH previous AS (
       SELECT id, status FROM ${table} WHERE id = $1 AND status IN ('pending', 'processing') FOR UPDATE
     ), cancelled AS (
       UPDATE ${table} AS j SET status = 'cancelled', finished_at = now()
         FROM previous WHERE j.id = previous.id
       RETURNING ${qualifiedJobColumns('j')}, previous.status AS previous_status
     )
     SELECT cancelled.*,
            CASE WHEN previous_status = 'processing' THEN pg_notify($2, id::text) END AS notified
       FROM cancelled`,
  );
