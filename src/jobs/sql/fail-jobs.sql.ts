import { statement } from './statement.js';

/**
 * Records failed attempts: back to `pending` after the backoff delay ($5 ms, database clock) while attempts remain,
 * else `failed`. The error becomes the job's last error and joins its history. Fenced like completion.
 * Locks: row locks on this worker's own rows, for the statement.
 * $1 ids, $2 attempts, $3 messages, $4 stacks, $5 retry delays in ms, $6 worker id.
 */
export const failJobsStatement = (schema: string, table: string) =>
  statement(
    schema,
    'fail',
    `UPDATE ${table} AS j
        SET status = CASE WHEN j.attempts < j.max_attempts THEN 'pending' ELSE 'failed' END,
            run_at = CASE WHEN j.attempts < j.max_attempts
                          THEN now() + make_interval(secs => f.delay_ms / 1000.0) ELSE j.run_at END,
            finished_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE now() END,
            error = jsonb_build_object('message', f.message, 'stack', f.stack),
            errors = j.errors || jsonb_build_array(jsonb_build_object(
              'attempt', j.attempts, 'message', f.message, 'stack', f.stack, 'at', now())),
            locked_until = NULL
       FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::bigint[]) AS f(id, attempt, message, stack, delay_ms)
      WHERE j.id = ANY($1::bigint[]) AND j.id = f.id AND j.attempts = f.attempt AND j.worker_id = $6 AND j.status = 'processing'
     RETURNING j.id, j.status`,
  );
