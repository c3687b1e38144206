import { statement } from './statement.js';

/**
 * Deletes at most $3 jobs in statuses $1 that finished more than $2 days ago (database clock); the caller repeats
 * it until a batch comes back short, so that no single statement holds many row locks or runs for long. Never
 * touches pending or processing jobs, nor a cancelled job whose handler still holds its lease.
 * Served by `jobs_finished_idx` (finished rows only, by status and finish time); the literal status list repeats the
 * index predicate so that a prepared (generic) plan can still use that partial index.
 * Locks: FOR UPDATE SKIP LOCKED on the rows it deletes: rows someone else holds (a retry) are left for next time.
 * $1 statuses (finished ones only), $2 retention in days, $3 batch size.
 */
export const pruneFinishedJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'prune',
    `WITH doomed AS (
       SELECT id FROM ${table}
        WHERE status = ANY($1::text[]) AND status IN ('completed', 'failed', 'cancelled')
          AND finished_at < now() - make_interval(days => $2) AND locked_until IS NULL
        LIMIT $3
        FOR UPDATE SKIP LOCKED
     )
     DELETE FROM ${table} AS j USING doomed WHERE j.id = doomed.id`,
  );
