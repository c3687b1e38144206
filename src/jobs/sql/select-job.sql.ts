import { statement } from './statement.js';
import { JOB_COLUMNS } from './job-columns.js';

/** One job by id. Locks: none. $1 id. */
export const selectJobStatement = (schema: string, table: string) =>
  statement(schema, 'select', `SELECT ${JOB_COLUMNS} FROM ${table} WHERE id = $1`);
