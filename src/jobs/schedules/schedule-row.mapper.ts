import type { MissedPolicy, OverlapPolicy, Schedule, ScheduleRun } from './interfaces/schedule.interface.js';

/** A row of `SCHEDULE_COLUMNS` as `pg` returns it (timestamptz as Date, jsonb parsed). */
export interface ScheduleRow {
  name: string;
  cron: string;
  timezone: string;
  job_name: string;
  payload: unknown;
  missed: MissedPolicy;
  overlap: OverlapPolicy;
  enabled: boolean;
  source: 'code' | 'api';
  next_fire_at: Date | null;
  last_fire_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A listed row: runs come as JSON, their times as text in the session's format. */
export interface ScheduleListRow extends ScheduleRow {
  last_runs: ScheduleRun[];
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function toSchedule(row: ScheduleListRow, declaredIn: string | null): Schedule {
  return {
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    jobName: row.job_name,
    payload: row.payload ?? null,
    missed: row.missed,
    overlap: row.overlap,
    enabled: row.enabled,
    source: row.source,
    declaredIn,
    nextFireAt: iso(row.next_fire_at),
    lastFireAt: iso(row.last_fire_at),
    lastRuns: row.last_runs.map((run) => ({
      ...run,
      fireTime: iso(run.fireTime) as string,
      missedFrom: iso(run.missedFrom),
      decidedAt: iso(run.decidedAt) as string,
    })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
