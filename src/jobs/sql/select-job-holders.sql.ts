import { statement } from './statement.js';

/**
 * Who holds each of the given jobs now: read after a fenced write changed nothing, to tell a write that was rejected
 * (the job was taken over, cancelled or finished elsewhere) from one whose earlier try had committed before its
 * connection dropped. Rare: never on the hot path.
 * Locks: none. $1 ids.
 */
export const selectJobHoldersStatement = (schema: string, table: string) =>
  statement(
    schema,
    'holders',
    `SELECT id, status, worker_id, attempts FROM ${table} WHERE id = ANY($1::bigint[])`,
  );
