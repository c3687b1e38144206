import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Deletes at most $2 decided ticks older than $1 days, in batches like the job prune. Safe for exactly-once: a
 * schedule only ever decides ticks after its `next_fire_at`, which has moved past every pruned tick.
 * Served by `schedule_fires_time_idx`.
 * Locks: FOR UPDATE SKIP LOCKED on the rows it deletes.
 * $1 retention in days, $2 batch size.
 */
export const pruneScheduleFiresStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-prune-fires',
    `WITH doomed AS (
       SELECT schedule_name, fire_time FROM ${t.fires}
        WHERE fire_time < now() - make_interval(days => $1)
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     )
     DELETE FROM ${t.fires} AS f USING doomed
      WHERE f.schedule_name = doomed.schedule_name AND f.fire_time = doomed.fire_time`,
  );
