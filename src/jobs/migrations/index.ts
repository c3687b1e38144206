import { CreateJobsTable1764300000000 } from './1764300000000-create-jobs-table.js';
import { CreateSchedules1764400000000 } from './1764400000000-create-schedules.js';
import { CreateJobStats1764500000000 } from './1764500000000-create-job-stats.js';
import { DropListingIndexes1764600000000 } from './1764600000000-drop-listing-indexes.js';
import { VacuumJobsByCount1764700000000 } from './1764700000000-vacuum-jobs-by-count.js';

/** The jobs migrations in order; they run in their own migrations table inside the jobs schema. */
export const JOBS_MIGRATIONS = [
  CreateJobsTable1764300000000,
  CreateSchedules1764400000000,
  CreateJobStats1764500000000,
  DropListingIndexes1764600000000,
  VacuumJobsByCount1764700000000,
];
