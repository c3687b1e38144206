import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Writes a changed schedule (every field, as merged by the service).
 * Locks: the schedule row, already held by `lockSchedule`.
 * $1 name, $2 cron, $3 timezone, $4 job name, $5 payload (json text), $6 missed, $7 overlap, $8 enabled,
 * $9 next tick (null when disabled).
 */
export const updateScheduleStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-update',
    `UPDATE ${t.schedules}
        SET cron = $2, timezone = $3, job_name = $4, payload = $5::jsonb, missed = $6, overlap = $7, enabled = $8,
            next_fire_at = $9, updated_at = now()
      WHERE name = $1`,
  );
