import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Creates a schedule over HTTP; returns nothing when the name is taken.
 * Locks: the new row (a concurrent create of the same name waits, then returns nothing).
 * $1 name, $2 cron, $3 timezone, $4 job name, $5 payload (json text), $6 missed, $7 overlap, $8 enabled,
 * $9 next tick (null when disabled).
 */
export const insertScheduleStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-insert',
    `INSERT INTO ${t.schedules} (name, cron, timezone, job_name, payload, missed, overlap, enabled, source, next_fire_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, 'api', $9)
     ON CONFLICT (name) DO NOTHING
     RETURNING name`,
  );
