import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Records a manual trigger among the schedule's runs. Its fire time is the database time to the microsecond; ticks
 * fall on whole seconds, so a trigger landing exactly on one moves by a microsecond and never takes a tick's row.
 * Locks: the new row; KEY SHARE on the schedule row (foreign key).
 * $1 schedule name, $2 job id.
 */
export const insertTriggerFireStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-trigger-fire',
    `INSERT INTO ${t.fires} (schedule_name, fire_time, outcome, job_id)
     SELECT $1, CASE WHEN date_trunc('second', now_) = now_ THEN now_ + interval '1 microsecond' ELSE now_ END,
            'triggered', $2
       FROM clock_timestamp() AS now_
     ON CONFLICT (schedule_name, fire_time) DO NOTHING`,
  );
