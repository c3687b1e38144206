import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Takes one enabled schedule whose next tick is due (database clock) for this container to decide: only API-created
 * schedules and code schedules this process declares ($1), and only job names it has handlers for ($2), so a
 * container of another release never fires what it does not know. Returns the database time with it.
 * Served by `schedules_due_idx`.
 * Locks: FOR NO KEY UPDATE SKIP LOCKED on the schedule row until commit: other containers skip it rather than wait,
 * so one container decides each tick; a PATCH waits for the decision. (Fire-row inserts only need KEY SHARE.)
 * $1 declared code schedule names, $2 handled job names.
 */
export const claimDueScheduleStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-claim',
    `SELECT name, cron, timezone, job_name, payload, missed, overlap, next_fire_at, clock_timestamp() AS db_now
       FROM ${t.schedules}
      WHERE enabled AND next_fire_at <= clock_timestamp()
        AND (source = 'api' OR name = ANY($1::text[])) AND job_name = ANY($2::text[])
      ORDER BY next_fire_at
      LIMIT 1
      FOR NO KEY UPDATE SKIP LOCKED`,
  );
