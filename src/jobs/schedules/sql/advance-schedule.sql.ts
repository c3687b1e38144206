import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Moves a schedule past the ticks just decided: its next tick, and the latest decided one.
 * Locks: the schedule row, already held by the claim.
 * $1 name, $2 next fire time, $3 latest decided tick (null: unchanged).
 */
export const advanceScheduleStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-advance',
    `UPDATE ${t.schedules} SET next_fire_at = $2, last_fire_at = COALESCE($3, last_fire_at) WHERE name = $1`,
  );
