import { statement } from '../../sql/statement.js';
import type { ScheduleTables } from './schedule-tables.js';

/**
 * Start-up sync of one schedule declared in code. Code owns its definition, the database its `enabled` state: a
 * paused schedule stays paused. The next tick is recomputed only when the timing (cron or time zone) changed, so
 * ticks missed while every container was down are still found; an unchanged row is not written at all.
 * An API schedule of the same name becomes a code schedule.
 * Locks: the schedule row, until commit (concurrent starters apply one after the other).
 * $1 name, $2 cron, $3 timezone, $4 job name, $5 payload (json text), $6 missed, $7 overlap,
 * $8 next tick under the new timing (from the database clock).
 */
export const upsertCodeScheduleStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-upsert-code',
    `INSERT INTO ${t.schedules} AS s (name, cron, timezone, job_name, payload, missed, overlap, enabled, source, next_fire_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, true, 'code', $8)
     ON CONFLICT (name) DO UPDATE
        SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone, job_name = EXCLUDED.job_name,
            payload = EXCLUDED.payload, missed = EXCLUDED.missed, overlap = EXCLUDED.overlap, source = 'code',
            next_fire_at = CASE WHEN NOT s.enabled THEN NULL
                                WHEN s.cron = EXCLUDED.cron AND s.timezone = EXCLUDED.timezone THEN s.next_fire_at
                                ELSE EXCLUDED.next_fire_at END,
            updated_at = now()
      WHERE (s.cron, s.timezone, s.job_name, s.payload, s.missed, s.overlap, s.source)
            IS DISTINCT FROM (EXCLUDED.cron, EXCLUDED.timezone, EXCLUDED.job_name, EXCLUDED.payload, EXCLUDED.missed,
                              EXCLUDED.overlap, EXCLUDED.source)
     RETURNING name, (xmax = 0) AS created`,
  );
