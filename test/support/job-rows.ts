import type { TestDatabase } from './test-database.js';
import { waitFor } from './wait-for.js';

export type JobRowRecord = Record<string, any>;

/** The raw row of a job (snake_case columns); undefined at run time when there is none. */
export const jobRow = async (database: TestDatabase, id: string): Promise<JobRowRecord> =>
  (await database.query(`SELECT * FROM jobs.jobs WHERE id = $1`, [id]))[0];

/** Polls the job's row until `predicate` holds; returns that row. */
export const waitForJobRow = (
  database: TestDatabase,
  id: string,
  what: string,
  predicate: (row: JobRowRecord) => boolean,
  timeoutMs = 10_000,
): Promise<JobRowRecord> =>
  waitFor(
    `job ${id}: ${what}`,
    async () => {
      const row = await jobRow(database, id);
      return row && predicate(row) ? row : undefined;
    },
    { timeoutMs },
  );
