import { statement } from './statement.js';
import { claimJobsUpdate, dueJobIds, queueFilter } from './claim-jobs.sql.js';
import { completeHeldJobsUpdate } from './complete-jobs.sql.js';

const completeAndClaim = (schema: string, table: string, operation: string, dueFilter: string, cap: number) =>
  statement(
    schema,
    `${operation}:${cap}`,
    `WITH completed AS (
       ${completeHeldJobsUpdate(table, '$5::bigint[]', '$6::int[]', '$7::jsonb[]', '$3')}
     ), claimed AS (${claimJobsUpdate(table, dueJobIds(table, dueFilter, cap))})
     SELECT claimed.*, false AS completed FROM claimed
     UNION ALL
     SELECT id, NULL::text, NULL::text, NULL::int, NULL::jsonb, NULL::int, NULL::int, NULL::float8, true FROM completed`,
  );

/**
 * `complete-jobs` and `claim-jobs` in one statement, for a processor whose handlers just finished: the results of
 * the finished jobs are stored and their slots refilled in one round trip and one commit. Both parts keep their
 * rules: the completion is `complete-jobs`' fenced update (only rows still `processing` under this worker and attempt),
 * the claim takes pending rows in priority order through `jobs_claim_idx`. The two never touch one row: the claim
 * takes `pending` rows, the completion `processing` ones. Rows come back with `completed` true for each stored result
 * (its id only) and false for each claimed job. Generic plan, as `claim-jobs`.
 * Locks: row locks on this worker's finished rows; FOR UPDATE SKIP LOCKED on the rows it claims.
 * $1 names, $2 limit (at most `cap`), $3 worker id, $4 lease ms, $5 ids, $6 attempts, $7 results (json text),
 * $8 queues (variant).
 */
export const completeAndClaimJobsStatement = (schema: string, table: string, cap: number) =>
  completeAndClaim(schema, table, 'complete-and-claim', '', cap);
export const completeAndClaimQueueJobsStatement = (schema: string, table: string, cap: number) =>
  completeAndClaim(schema, table, 'complete-and-claim-queues', queueFilter(8), cap);
