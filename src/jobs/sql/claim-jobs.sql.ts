import { statement } from './statement.js';

/**
 * The ids a claim takes: up to $2 pending jobs due now, names $1, in claim order, skipping rows other claimers hold.
 * Shared with `complete-and-claim`, so both claim by one rule.
 *
 * Why two LIMITs: Postgres plans a named statement once (a generic plan) only when that plan looks no costlier
 * than planning each execution; a parameterised LIMIT looks like 10% of the pending rows, so `LIMIT $2` alone kept
 * it planning every claim (a third of the statement's time). The inner LIMIT is a constant, the most this process
 * ever claims at once (`cap`, its concurrency), so the estimate stays small and the generic plan is the index scan
 * every execution wants; the outer `LIMIT $2` stops the scan, and `FOR UPDATE SKIP LOCKED` locks only the rows it
 * pulls, so exactly the rows returned are locked.
 */
export const dueJobIds = (table: string, filter: string, cap: number) =>
  `SELECT id FROM (
          SELECT id FROM ${table}
           WHERE status = 'pending' AND run_at <= now() AND name = ANY($1::text[]) ${filter}
           ORDER BY priority, run_at, id
           LIMIT ${claimCap(cap)}
             FOR UPDATE SKIP LOCKED) AS due
     LIMIT $2`;

/**
 * Starts an attempt on the rows of `ids` (a subquery) for worker $3 with a lease of $4 ms; returns what the processor
 * runs. `id = ANY(ARRAY(...))` finds each row by its primary key, whatever the planner guesses of the count.
 */
export const claimJobsUpdate = (table: string, ids: string) =>
  `UPDATE ${table} AS j
        SET status = 'processing', attempts = j.attempts + 1, worker_id = $3,
            locked_until = now() + make_interval(secs => $4 / 1000.0), started_at = now(), progress = 0
      WHERE j.id = ANY(ARRAY(${ids}))
     RETURNING j.id, j.name, j.queue, j.priority, j.payload, j.attempts, j.max_attempts,
               (extract(epoch FROM now() - j.run_at) * 1000)::float8 AS waited_ms`;

/** Queue variant of the due rows' filter: parameter `$n` holds the queues this process claims from. */
export const queueFilter = (n: number) => `AND queue = ANY($${n}::text[])`;

/** The cap goes into the statement text: only a positive integer may. */
function claimCap(cap: number): number {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`claim cap must be a positive integer, got ${cap}`);
  return cap;
}

const claim = (schema: string, table: string, operation: string, filter: string, cap: number) =>
  statement(schema, `${operation}:${cap}`, claimJobsUpdate(table, dueJobIds(table, filter, cap)));

/**
 * Claims up to $2 (at most `cap`) due jobs in priority order (lower first, then run-at, then id), only names this
 * process handles ($1) and, in the queue variant, only its queues ($5). Each claim is an attempt; the lease ($4 ms,
 * database clock) belongs to worker $3. `waited_ms`: how long each job had been due when claimed (database clock).
 * Served by `jobs_claim_idx` (pending rows only, in claim order); its plan is generic, so prepared once per connection.
 * Locks: FOR UPDATE SKIP LOCKED on the rows it takes: concurrent claimers skip them rather than wait, so no two
 * processors ever hold one job.
 */
export const claimJobsStatement = (schema: string, table: string, cap: number) => claim(schema, table, 'claim', '', cap);
export const claimQueueJobsStatement = (schema: string, table: string, cap: number) =>
  claim(schema, table, 'claim-queues', queueFilter(5), cap);
