import { statement } from './statement.js';

/**
 * The due rows a claim takes: up to $2 pending jobs due now, names $1, in claim order, skipping rows other claimers
 * hold. Shared with `complete-and-claim`, so both claim by one rule.
 */
export const dueJobsQuery = (table: string, filter: string) =>
  `SELECT id FROM ${table}
        WHERE status = 'pending' AND run_at <= now() AND name = ANY($1::text[]) ${filter}
        ORDER BY priority, run_at, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED`;

/** Starts an attempt on the rows of CTE `due` for worker $3 with a lease of $4 ms; returns what the processor runs. */
export const claimDueJobsUpdate = (table: string) =>
  `UPDATE ${table} AS j
        SET status = 'processing', attempts = j.attempts + 1, worker_id = $3,
            locked_until = now() + make_interval(secs => $4 / 1000.0), started_at = now(), progress = 0
       FROM due
      WHERE j.id = due.id
     RETURNING j.id, j.name, j.queue, j.priority, j.payload, j.attempts, j.max_attempts,
               (extract(epoch FROM now() - j.run_at) * 1000)::float8 AS waited_ms`;

/** Queue variant of the due rows' filter: parameter `$n` holds the queues this process claims from. */
export const queueFilter = (n: number) => `AND queue = ANY($${n}::text[])`;

const claim = (schema: string, table: string, operation: string, filter: string) =>
  statement(schema, operation, `WITH due AS (${dueJobsQuery(table, filter)}) ${claimDueJobsUpdate(table)}`);

/**
 * Claims up to $2 due jobs in priority order (lower first, then run-at, then id), only names this process handles
 * ($1) and, in the queue variant, only its queues ($5). Each claim is an attempt; the lease ($4 ms, database clock)
 * belongs to worker $3. `waited_ms`: how long each job had been due when claimed (database clock). Served by `jobs_claim_idx` (pending rows only, in claim order).
 * Locks: FOR UPDATE SKIP LOCKED on the rows it takes: concurrent claimers skip them rather than wait, so no two
 * processors ever hold one job.
 */
export const claimJobsStatement = (schema: string, table: string) => claim(schema, table, 'claim', '');
export const claimQueueJobsStatement = (schema: string, table: string) =>
  claim(schema, table, 'claim-queues', queueFilter(5));
