import { statement } from '../../sql/statement.js';
import { SCHEDULE_COLUMNS, type ScheduleTables } from './schedule-tables.js';

/**
 * Schedules by name (all, or the one named $1) with their latest $2 runs, newest first, and the current status of
 * each run's job (null once pruned). Each schedule's runs come from the fire table's primary key, read backwards.
 * Locks: none.
 * $1 name or null, $2 runs per schedule.
 */
export const listSchedulesStatement = (t: ScheduleTables) =>
  statement(
    t.schema,
    'schedule-list',
    `SELECT ${SCHEDULE_COLUMNS.split(',').map((column) => `s.${column.trim()}`).join(', ')},
            COALESCE(runs.items, '[]'::json) AS last_runs
       FROM ${t.schedules} s
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object(
                  'fireTime', f.fire_time, 'outcome', f.outcome, 'jobId', f.job_id::text, 'jobStatus', j.status,
                  'missedFrom', f.missed_from, 'firedBy', f.fired_by, 'detail', f.detail, 'decidedAt', f.decided_at)
                ORDER BY f.fire_time DESC) AS items
           FROM (SELECT * FROM ${t.fires} WHERE schedule_name = s.name ORDER BY fire_time DESC LIMIT $2) f
           LEFT JOIN ${t.jobs} j ON j.id = f.job_id
       ) runs ON true
      WHERE $1::text IS NULL OR s.name = $1
      ORDER BY s.name`,
  );
