import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Records the decision of one tick: the unique (schedule, fire time) row is what makes a tick fire once. The caller
 * enqueues the tick's job only when this returned a row (it won), in the same transaction.
 * Locks: the new row (a concurrent insert of the same tick waits for this transaction, then does nothing);
 * KEY SHARE on the schedule row (foreign key).
 * $1 schedule name, $2 fire time, $3 outcome, $4 first missed tick it stands for (or null), $5 deciding container.
 */
export const insertFireStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-fire',
    `INSERT INTO ${t.fires} (schedule_name, fire_time, outcome, missed_from, fired_by)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (schedule_name, fire_time) DO NOTHING
     RETURNING fire_time`,
  );
