import { statement } from './statement.js';

/**
 * Stores the results of a batch of finished handlers. Fenced: only rows still `processing` under this worker and
 * attempt change, so a cancelled job or a lease taken over by the sweep is never overwritten. Returns the ids written.
 * Locks: row locks on this worker's own rows, for the statement.
 * $1 ids, $2 attempts, $3 results (json text), $4 worker id.
 */
export const completeJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'complete',
    `UPDATE ${table} AS j
        SET status = 'completed', result = c.result, progress = 100, finished_at = now(), locked_until = NULL
       FROM unnest($1::bigint[], $2::int[], $3::jsonb[]) AS c(id, attempt, result)
      WHERE j.id = ANY($1::bigint[]) AND j.id = c.id AND j.attempts = c.attempt AND j.worker_id = $4 AND j.status = 'processing'
     RETURNING j.id`,
  );
