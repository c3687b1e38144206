import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Deletes a schedule and (cascade) its fire rows; its jobs stay. Returns nothing when there was none.
 * Locks: the schedule row (waits for a tick being decided) and its fire rows, until commit.
 * $1 name.
 */
export const deleteScheduleStatement = (t: ScheduleTables) =>
  statement(t.schema, 'schedule-delete', `DELETE FROM ${t.schedules} WHERE name = $1 RETURNING name`);
