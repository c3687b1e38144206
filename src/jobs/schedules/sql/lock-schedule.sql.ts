import { statement } from '../../sql/statement.js';
import { SCHEDULE_COLUMNS, type ScheduleTables } from './schedule-tables.js';

/**
 * Reads a schedule to change it, with the database time.
 * Locks: FOR NO KEY UPDATE on its row until commit: waits for a container deciding its tick, and holds it off
 * until the change commits, so a tick is decided under the old definition or the new one, never a mix.
 * $1 name.
 */
export const lockScheduleStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-lock',
    `SELECT ${SCHEDULE_COLUMNS}, clock_timestamp() AS db_now FROM ${t.schedules} WHERE name = $1 FOR NO KEY UPDATE`,
  );

/**
 * Reads a schedule to trigger it.
 * Locks: FOR KEY SHARE on its row until commit: a concurrent DELETE waits; ticks and PATCHes do not.
 * $1 name.
 */
export const shareScheduleStatement = (t: ScheduleTables) =>
  statement(t.schema, 'schedule-share', `SELECT ${SCHEDULE_COLUMNS} FROM ${t.schedules} WHERE name = $1 FOR KEY SHARE`);
