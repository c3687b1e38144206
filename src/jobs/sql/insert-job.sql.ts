import { statement } from './statement.js';
import { NEW_JOB_COLUMNS, ON_LIVE_KEY_CONFLICT, insertedJobColumns } from './insert-jobs.sql.js';

const insertOne = (schema: string, table: string, operation: string, onConflict: string, returning: string) =>
  statement(
    schema,
    operation,
    `WITH inserted AS (
       INSERT INTO ${table} AS j (name, queue, priority, payload, max_attempts, run_at, key)
       VALUES ($1, $2, $3, $4::jsonb, $5,
               COALESCE($6::timestamptz, now() + make_interval(secs => COALESCE($7::bigint, 0) / 1000.0)), $8)
       ${onConflict}
       RETURNING ${returning}
     ), wake AS (SELECT pg_notify($9, ''))
     SELECT inserted.* FROM inserted, wake`,
  );

/**
 * Inserts one job: `JobsService.enqueue`, the most frequent statement of a producer, so it is the plain single-row
 * form of `insert-jobs` (no arrays to unpack). Without a key no unique index applies, so the plain insert skips the
 * speculative insertion that ON CONFLICT costs on every row. One NOTIFY wakes idle processors (inside a caller's
 * transaction, Postgres delivers it at commit).
 * Locks: the new row.
 * $1 name, $2 queue, $3 priority, $4 payload (json text), $5 max attempts, $6 run-at (null = use $7), $7 delay in ms
 * (null = now), $8 key (null here), $9 wake channel.
 */
export const insertJobStatement = (schema: string, table: string) => insertOne(schema, table, 'insert-one', '', NEW_JOB_COLUMNS);

/**
 * The same with a dedup key: a key held by a live (pending or processing) job resolves to that job (`DO UPDATE`
 * returns it, and waits for a concurrent inserter of the same key to commit), with `created` false.
 * Locks: the new row; the existing live row of a conflicting key (row lock, released at commit).
 */
export const insertKeyedJobStatement = (schema: string, table: string) =>
  insertOne(
    schema,
    table,
    'insert-one-keyed',
    ON_LIVE_KEY_CONFLICT,
    insertedJobColumns('j'),
  );
