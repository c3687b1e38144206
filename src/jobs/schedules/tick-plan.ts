import type { CronSchedule } from './cron-schedule.js';

/** What is due of a schedule whose first undecided tick is `from`, at `now` (database clock). */
export interface TickPlan {
  /** Ticks older than the tolerance (no container ran then): the first and the last; null when none. */
  missed: { first: Date; last: Date } | null;
  /** Due ticks within the tolerance, oldest first; each one fires as usual. */
  due: Date[];
  /** The first tick after `now`: the schedule's next fire time once these are decided. */
  next: Date;
}

/**
 * Splits the undecided ticks up to `now` into missed ones (older than `toleranceMs`, handled by the `missed`
 * policy) and late-but-due ones (each fires), and finds the next tick. Pure: the caller brings the clock.
 */
export function planTicks(schedule: CronSchedule, from: Date, now: Date, toleranceMs: number): TickPlan {
  const next = schedule.nextAfter(now);
  const first = schedule.firstAtOrAfter(from);
  if (first.getTime() > now.getTime()) return { missed: null, due: [], next };
  const cutoff = new Date(now.getTime() - toleranceMs);
  let missed: TickPlan['missed'] = null;
  let tick = first;
  if (first.getTime() <= cutoff.getTime()) {
    const last = schedule.lastAtOrBefore(first, cutoff);
    missed = { first, last };
    tick = schedule.nextAfter(last);
  }
  const due: Date[] = [];
  for (; tick.getTime() <= now.getTime(); tick = schedule.nextAfter(tick)) due.push(tick);
  return { missed, due, next };
}
