import { statement } from './statement.js';

const claim = (schema: string, table: string, operation: string, queueFilter: string) =>
  statement(
    schema,
    operation,
    `WITH due AS (
       SELECT id FROM ${table}
        WHERE status = 'pending' AND run_at <= now() AND name = ANY($1::text[]) ${queueFilter}
        ORDER BY priority, run_at, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     )
     UPDATE ${table} AS j
        SET status = 'processing', attempts = j.attempts + 1, worker_id = $3,
            locked_until = now() + make_interval(secs => $4 / 1000.0), started_at = now(), progress = 0
       FROM due
      WHERE j.id = due.id
     RETURNING j.id, j.name, j.queue, j.priority, j.payload, j.attempts, j.max_attempts,
               (extract(epoch FROM now() - j.run_at) * 1000)::float8 AS waited_ms`,
  );

/**
 * Claims up to $2 due jobs in priority order (lower first, then run-at, then id), only names this process handles
 * ($1) and, in the queue variant, only its queues ($5). Each claim is an attempt; the lease ($4 ms, database clock)
 * belongs to worker $3. `waited_ms`: how long each job had been due when claimed (database clock). Served by `jobs_claim_idx` (pending rows only, in claim order).
 * Locks: FOR UPDATE SKIP LOCKED on the rows it takes: concurrent claimers skip them rather than wait, so no two
 * processors ever hold one job.
 */
export const claimJobsStatement = (schema: string, table: string) => claim(schema, table, 'claim', '');
export const claimQueueJobsStatement = (schema: string, table: string) =>
  claim(schema, table, 'claim-queues', 'AND queue = ANY($5::text[])');
