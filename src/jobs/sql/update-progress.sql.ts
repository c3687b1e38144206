import { statement } from './statement.js';

/**
 * Stores a running job's progress. Fenced: a late or foreign writer changes nothing (no row returned).
 * Locks: the job's row, for the statement.
 * $1 id, $2 attempt, $3 worker id, $4 percent.
 */
export const updateProgressStatement = (schema: string, table: string) =>
  statement(
    schema,
    'progress',
    `UPDATE ${table} SET progress = $4
      WHERE id = $1 AND attempts = $2 AND worker_id = $3 AND status = 'processing'
     RETURNING id`,
  );
