import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * When this container should next look: the earliest next tick among the schedules it may fire (same filter as the
 * claim), with the database time, so that timers follow the database clock. Served by `schedules_due_idx`.
 * Locks: none.
 * $1 declared code schedule names, $2 handled job names.
 */
export const nextFireTimeStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-next',
    `SELECT min(next_fire_at) AS next_fire_at, clock_timestamp() AS db_now
       FROM ${t.schedules}
      WHERE enabled AND (source = 'api' OR name = ANY($1::text[])) AND job_name = ANY($2::text[])`,
  );
