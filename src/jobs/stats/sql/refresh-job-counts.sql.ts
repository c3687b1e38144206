import { statement } from '../../sql/statement.js';

/**
 * `skipLocked`: return at once when another process is recounting (readers then get the previous snapshot);
 * otherwise wait for that recount, which leaves the snapshot fresh, so this one recounts nothing.
 *
 * Recounts jobs by queue and status into the snapshot row when it is older than $1 ms, or than 20 times the last
 * count took (so counting costs at most ~5% of one backend however large the table grows). Returns nothing when the
 * snapshot is fresh or another process is recounting it right now.
 * Locks: the snapshot row, FOR UPDATE (SKIP LOCKED or waiting), so concurrent callers never count twice; the count itself reads
 * `jobs` under MVCC and takes no row lock.
 * $1 minimum age of the snapshot in ms.
 */
export const refreshJobCountsStatement = (schema: string, table: string, skipLocked: boolean) =>
  statement(
    schema,
    skipLocked ? 'stats:refresh-counts' : 'stats:refresh-counts-waiting',
    `WITH stale AS (
       SELECT id FROM "${schema}".job_counts_snapshot
        WHERE taken_at < clock_timestamp() - make_interval(secs => greatest($1::int, took_ms * 20) / 1000.0)
        FOR UPDATE ${skipLocked ? 'SKIP LOCKED' : ''}
     ), counted AS (
       SELECT coalesce(jsonb_agg(jsonb_build_object('queue', queue, 'status', status, 'count', n)), '[]'::jsonb) AS counts
         FROM (SELECT queue, status, count(*) AS n FROM ${table} WHERE EXISTS (SELECT 1 FROM stale) GROUP BY queue, status) c
     )
     UPDATE "${schema}".job_counts_snapshot AS s
        SET counts = counted.counts,
            took_ms = (extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::int,
            taken_at = statement_timestamp()
       FROM stale, counted
      WHERE s.id = stale.id
     RETURNING s.id`,
  );
