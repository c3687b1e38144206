/** The columns every statement that returns a whole job selects (see `job-row.mapper.ts`). */
export const JOB_COLUMNS = `id, name, queue, status, priority, payload, result, error, errors, attempts, max_attempts,
  run_at, progress, key, worker_id, created_at, started_at, finished_at, locked_until`;

export const qualifiedJobColumns = (alias: string): string =>
  JOB_COLUMNS.split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
