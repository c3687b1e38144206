import type { MissedPolicy, OverlapPolicy } from './schedule.interface.js';

/** Options of `@Scheduled(cron, options)`. */
export interface ScheduledOptions {
  /** Name of the schedule. Default: the job name of the method's `@JobHandler`. */
  name?: string;
  /** IANA zone the expression is read in (`Europe/Berlin`). Default `UTC`. */
  timezone?: string;
  /** The payload of every job this schedule enqueues (checked against the handler's payload DTO). Default none. */
  payload?: unknown;
  /** Ticks missed while no container ran: `skip` drops them, `runOnce` fires one job for them. Default `skip`. */
  missed?: MissedPolicy;
  /** `skip`: no new run while the previous one is pending or processing. Default `allow`. */
  overlap?: OverlapPolicy;
}
