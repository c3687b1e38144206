import { statement } from './statement.js';

/**
 * Returns jobs whose lease expired (their worker died or froze) to `pending`, or `failed` when that lost run was
 * the last attempt: a run lost to a crash uses its attempt. A returned job keeps its run-at, and so its place in the
 * queue: it does not wait behind the backlog that arrived while it ran. Cancelled jobs whose runner vanished just
 * drop the lease. Expiry is judged by the database clock, so skewed process clocks cannot rescue a live job early.
 * Served by `jobs_lease_idx`. At most $1 rows per call.
 * Locks: FOR UPDATE SKIP LOCKED on the expired rows, so concurrent sweepers split them and never wait.
 */
export const rescueExpiredJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'rescue',
    `WITH expired AS (
       SELECT id FROM ${table}
        WHERE locked_until IS NOT NULL AND locked_until < now()
        ORDER BY locked_until
        LIMIT $1
        FOR UPDATE SKIP LOCKED
     )
     UPDATE ${table} AS j
        SET status = CASE WHEN j.status <> 'processing' THEN j.status
                          WHEN j.attempts < j.max_attempts THEN 'pending' ELSE 'failed' END,
            finished_at = CASE WHEN j.status = 'processing' AND j.attempts >= j.max_attempts THEN now()
                               ELSE j.finished_at END,
            error = CASE WHEN j.status = 'processing'
                         THEN jsonb_build_object('message', 'Lease expired: worker ' || COALESCE(j.worker_id, '?') ||
                              ' stopped renewing it (crashed, killed or frozen)', 'stack', NULL)
                         ELSE j.error END,
            errors = CASE WHEN j.status = 'processing'
                          THEN j.errors || jsonb_build_array(jsonb_build_object('attempt', j.attempts,
                               'message', 'Lease expired: worker ' || COALESCE(j.worker_id, '?') ||
                               ' stopped renewing it (crashed, killed or frozen)', 'stack', NULL, 'at', now()))
                          ELSE j.errors END,
            locked_until = NULL
      WHERE j.id = ANY(ARRAY(SELECT id FROM expired))
     RETURNING j.id, j.status`,
  );
