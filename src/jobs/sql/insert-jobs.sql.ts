import { statement } from './statement.js';
import { qualifiedJobColumns } from './job-columns.js';

/**
 * The dedup rule of every insert with a key: a key held by a live (pending or processing) job resolves to that job.
 * `DO UPDATE` (a no-op write) makes the statement return the existing row, and wait for a concurrent inserter of the
 * same key to commit, so concurrent enqueues never create two. The predicate matches `jobs_key_active_idx`.
 */
export const ON_LIVE_KEY_CONFLICT = `ON CONFLICT (key) WHERE key IS NOT NULL AND status IN ('pending', 'processing') DO UPDATE SET key = EXCLUDED.key`;

/**
 * What a keyless insert returns: only what the database decided (id, run-at, creation time, as epoch milliseconds,
 * floored). The rest of the new row is what the caller sent (`JobRepository` rebuilds it), so 1,000 rows do not come
 * back as 19 columns each, payloads re-serialised by Postgres and parsed again by the client.
 */
export const NEW_JOB_COLUMNS = `j.id, floor(extract(epoch FROM j.run_at) * 1000)::float8 AS run_at_ms,
       floor(extract(epoch FROM j.created_at) * 1000)::float8 AS created_at_ms`;

/** What a keyed insert returns: the whole row, which may be an existing job that holds the key. */
export const insertedJobColumns = (alias: string) => `${qualifiedJobColumns(alias)}, (${alias}.xmax = 0) AS created`;

const insertMany = (schema: string, table: string, operation: string, onConflict: string, returning: string) =>
  statement(
    schema,
    operation,
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[], $5::int[], $6::timestamptz[], $7::bigint[], $8::text[])
         WITH ORDINALITY AS i(name, queue, priority, payload, max_attempts, run_at, delay_ms, key, ord)
     ), inserted AS (
       INSERT INTO ${table} AS j (name, queue, priority, payload, max_attempts, run_at, key)
       SELECT name, queue, priority, payload, max_attempts,
              COALESCE(run_at, now() + make_interval(secs => COALESCE(delay_ms, 0) / 1000.0)), key
         FROM input ORDER BY ord
       ${onConflict}
       RETURNING ${returning}
     ), wake AS (SELECT pg_notify($9, ''))
     SELECT inserted.* FROM inserted, wake`,
  );

/**
 * Inserts a batch of jobs, one row per array element, in input order (ids ascend with it).
 * Dedup: a key held by a live (pending or processing) job resolves to that job; `DO UPDATE` returns it in the same
 * statement — and waits for a concurrent inserter of the same key to commit — so concurrent enqueues never create two.
 * `created` is true for new rows (xmax = 0). One NOTIFY per statement wakes idle processors; inside a caller's
 * transaction Postgres delivers it at commit.
 * Locks: new rows; the existing live row of a conflicting key (row lock, released at commit).
 * $1 names, $2 queues, $3 priorities, $4 payloads (json text), $5 max attempts, $6 run-at (null = use $7),
 * $7 delays in ms (null = now), $8 keys, $9 wake channel.
 */
export const insertJobsStatement = (schema: string, table: string) =>
  insertMany(
    schema,
    table,
    'insert',
    ON_LIVE_KEY_CONFLICT,
    insertedJobColumns('j'),
  );

/**
 * The same for a batch in which no job has a key: no unique index applies to its rows, so the plain insert skips
 * the speculative insertion (a lock and a second pass per row) that ON CONFLICT costs. Returns `NEW_JOB_COLUMNS`.
 */
export const insertKeylessJobsStatement = (schema: string, table: string) => insertMany(schema, table, 'insert-keyless', '', NEW_JOB_COLUMNS);
