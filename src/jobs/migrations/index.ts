import { CreateJobsTable1764300000000 } from './1764300000000-create-jobs-table.js';

/** The jobs migrations in order; they run in their own migrations table inside the jobs schema. */
export const JOBS_MIGRATIONS = [CreateJobsTable1764300000000];
