import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/** The database time: every container computes next ticks from the same clock. Locks: none. */
export const databaseClockStatement = (t: ScheduleTables) =>
  statement(t.schema, 'schedule-clock', `SELECT clock_timestamp() AS db_now`);
