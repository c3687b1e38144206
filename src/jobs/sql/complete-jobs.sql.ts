import { statement } from './statement.js';
import { heldJobsFence, heldValue } from './held-jobs.js';

/**
 * Stores the results of a batch of finished handlers. Fenced: only rows still `processing` under this worker and
 * attempt change, so a cancelled job or a lease taken over by the sweep is never overwritten. Returns the ids written.
 * Locks: row locks on this worker's own rows, for the statement.
 * $1 ids, $2 attempts, $3 results (json text), $4 worker id.
 */
const IDS = '$1::bigint[]';

export const completeJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'complete',
    `UPDATE ${table} AS j
        SET status = 'completed', result = ${heldValue('$3::jsonb[]', IDS)}, progress = 100, finished_at = now(),
            locked_until = NULL
      WHERE ${heldJobsFence(IDS, '$2::int[]', '$4')} AND j.status = 'processing'
     RETURNING j.id`,
  );
