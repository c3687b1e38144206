/** Table names of the schedules, from the validated jobs schema. */
export interface ScheduleTables {
  schema: string;
  schedules: string;
  fires: string;
  jobs: string;
}

export const scheduleTablesOf = (schema: string): ScheduleTables => ({
  schema,
  schedules: `"${schema}".schedules`,
  fires: `"${schema}".schedule_fires`,
  jobs: `"${schema}".jobs`,
});

/** The columns every statement that returns a whole schedule selects (see `schedule-row.mapper.ts`). */
export const SCHEDULE_COLUMNS = `name, cron, timezone, job_name, payload, missed, overlap, enabled, source, next_fire_at,
  last_fire_at, created_at, updated_at`;
