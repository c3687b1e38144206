import { JOB_COLUMNS } from './job-columns.js';

export interface ListJobsFilter {
  status?: string;
  name?: string;
  queue?: string;
  /** Only ids below this one (keyset paging, newest first). */
  beforeId?: string;
  limit: number;
}

/**
 * Newest first, keyset-paged by id. No index is kept for listing alone (see migration 1764600000000): the primary key
 * read backwards serves it, or for a status the partial index holding that status' rows. Values are parameters;
 * only the set of clauses varies. Locks: none.
 */
export function listJobsQuery(table: string, filter: ListJobsFilter): { text: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    values.push(value);
    clauses.push(clause.replace('?', `$${values.length}`));
  };
  if (filter.status !== undefined) add('status = ?', filter.status);
  // Always true of a processing job (its claim set a lease), and what lets `jobs_lease_idx` serve the filter.
  if (filter.status === 'processing') clauses.push('locked_until IS NOT NULL');
  if (filter.name !== undefined) add('name = ?', filter.name);
  if (filter.queue !== undefined) add('queue = ?', filter.queue);
  if (filter.beforeId !== undefined) add('id < ?::bigint', filter.beforeId);
  values.push(filter.limit);
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  return { text: `SELECT ${JOB_COLUMNS} FROM ${table} ${where} ORDER BY id DESC LIMIT $${values.length}`, values };
}
