import { statement } from '../../sql/statement.js';

/** The last snapshot of the job counts; `taken_at` is null before the first count. Locks: none. */
export const selectJobCountsStatement = (schema: string) =>
  statement(
    schema,
    'stats:select-counts',
    `SELECT counts, CASE WHEN isfinite(taken_at) THEN taken_at END AS taken_at FROM "${schema}".job_counts_snapshot WHERE id = 1`,
  );
