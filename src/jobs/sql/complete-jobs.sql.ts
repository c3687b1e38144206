import { statement } from './statement.js';
import { heldJobsFence, heldValue } from './held-jobs.js';

/**
 * Stores results on the rows of this worker's finished jobs: `ids`, `attempts` and `results` are array parameters of
 * one batch, `worker` the worker id. Fenced (`held-jobs.ts`): only rows still `processing` under this worker and
 * attempt. Shared with `complete-and-claim`, so both complete by one rule.
 */
export const completeHeldJobsUpdate = (table: string, ids: string, attempts: string, results: string, worker: string) =>
  `UPDATE ${table} AS j
        SET status = 'completed', result = ${heldValue(results, ids)}, progress = 100, finished_at = now(),
            locked_until = NULL
      WHERE ${heldJobsFence(ids, attempts, worker)} AND j.status = 'processing'
     RETURNING j.id`;

/**
 * Stores the results of a batch of finished handlers. Fenced: only rows still `processing` under this worker and
 * attempt change, so a cancelled job or a lease taken over by the sweep is never overwritten. Returns the ids written.
 * Locks: row locks on this worker's own rows, for the statement.
 * $1 ids, $2 attempts, $3 results (json text), $4 worker id.
 */
export const completeJobsStatement = (schema: string, table: string) =>
  statement(schema, 'complete', completeHeldJobsUpdate(table, '$1::bigint[]', '$2::int[]', '$3::jsonb[]', '$4'));
