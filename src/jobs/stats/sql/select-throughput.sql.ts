import { statement } from '../../sql/statement.js';

/**
 * Jobs completed and failed per minute over the last $1 minutes (database clock), oldest first, one row per minute
 * including empty ones. Served by `jobs_finished_idx` (status, finished_at) on finished rows only, so it reads the
 * last hour's jobs, never the whole table. Locks: none.
 * $1 minutes.
 */
export const selectThroughputStatement = (schema: string, table: string) =>
  statement(
    schema,
    'stats:throughput',
    `WITH minutes AS (
       SELECT generate_series(date_trunc('minute', now()) - make_interval(mins => $1::int - 1),
                              date_trunc('minute', now()), interval '1 minute') AS minute
     ), finished AS (
       SELECT date_trunc('minute', finished_at) AS minute, status, count(*) AS n
         FROM ${table}
        WHERE status IN ('completed', 'failed')
          AND finished_at >= date_trunc('minute', now()) - make_interval(mins => $1::int - 1)
        GROUP BY 1, 2
     )
     SELECT m.minute,
            coalesce(sum(f.n) FILTER (WHERE f.status = 'completed'), 0)::int AS completed,
            coalesce(sum(f.n) FILTER (WHERE f.status = 'failed'), 0)::int AS failed
       FROM minutes m LEFT JOIN finished f ON f.minute = m.minute
      GROUP BY m.minute ORDER BY m.minute`,
  );
