import { statement } from '../../sql/statement.js';

/** The last snapshot of the job counts and its age in ms. Locks: none. */
export const selectJobCountsStatement = (schema: string) =>
  statement(
    schema,
    'stats:select-counts',
    `SELECT counts, taken_at,
            (extract(epoch FROM clock_timestamp() - taken_at) * 1000)::float8 AS age_ms
       FROM "${schema}".job_counts_snapshot WHERE id = 1`,
  );
