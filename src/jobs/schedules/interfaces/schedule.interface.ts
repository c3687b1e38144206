import { MISSED_POLICIES, OVERLAP_POLICIES } from '../schedules.constants.js';

/** `skip`: ticks missed while no container ran are dropped. `runOnce`: they become one job, fired at once. */
export type MissedPolicy = (typeof MISSED_POLICIES)[number];

/** `skip`: no new run while the previous one is pending or processing. `allow`: every tick runs. */
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** A schedule as code declares it or `POST /schedules` creates it: enqueue `jobName` with `payload` on every tick. */
export interface ScheduleDefinition {
  /** Unique; same rules as job names. */
  name: string;
  /** 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first. */
  cron: string;
  /** IANA zone the expression is read in. Default `UTC`. */
  timezone?: string;
  /** A job name with a registered `@JobHandler`. */
  jobName: string;
  /** The payload of every job this schedule enqueues. Default none. */
  payload?: unknown;
  /** Default `skip`. */
  missed?: MissedPolicy;
  /** Default `allow`. */
  overlap?: OverlapPolicy;
}

/** A definition with every default applied. */
export type ResolvedScheduleDefinition = Required<Omit<ScheduleDefinition, 'payload'>> & { payload: unknown };

/** What each tick (or trigger) came to. */
export type ScheduleRunOutcome = 'enqueued' | 'skipped_overlap' | 'skipped_missed' | 'failed' | 'triggered';

/** One decided tick or manual trigger of a schedule. */
export interface ScheduleRun {
  /** The tick's time from the expression (a trigger: when it was requested). */
  fireTime: string;
  outcome: ScheduleRunOutcome;
  /** The job this run created; null when skipped or failed. */
  jobId: string | null;
  /** That job's status now; null when it has none or it was pruned. */
  jobStatus: string | null;
  /** Missed ticks this run stands for: from this tick up to `fireTime` (policy `missed`). */
  missedFrom: string | null;
  /** The container that decided the tick (`host:pid:tag`); null for triggers. */
  firedBy: string | null;
  /** Why it was skipped or failed. */
  detail: string | null;
  /** When the tick was decided. */
  decidedAt: string;
}

/** A schedule as the API returns it. */
export interface Schedule {
  name: string;
  cron: string;
  timezone: string;
  jobName: string;
  payload: unknown;
  missed: MissedPolicy;
  overlap: OverlapPolicy;
  enabled: boolean;
  /** `code`: declared in code (cron and payload come from there); `api`: created over HTTP. */
  source: 'code' | 'api';
  /** `Class.method` (or the module option) declaring it in this process's code; null otherwise. */
  declaredIn: string | null;
  /** The next tick; null while paused. */
  nextFireAt: string | null;
  /** The latest tick decided. */
  lastFireAt: string | null;
  /** The latest runs, newest first. */
  lastRuns: ScheduleRun[];
  createdAt: string;
  updatedAt: string;
}

/** Fields `PATCH /schedules/:name` may change. */
export type ScheduleChanges = Partial<Omit<ScheduleDefinition, 'name'>> & { enabled?: boolean };
