import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Stores what a tick came to once its job was enqueued (or skipped, or refused).
 * Locks: the fire row this transaction inserted.
 * $1 schedule name, $2 fire time, $3 outcome, $4 job id (or null), $5 detail (or null).
 */
export const recordFireOutcomeStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-fire-outcome',
    `UPDATE ${t.fires} SET outcome = $3, job_id = $4, detail = $5 WHERE schedule_name = $1 AND fire_time = $2`,
  );
