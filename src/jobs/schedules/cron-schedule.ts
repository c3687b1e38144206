import { CronTime } from 'cron';

/** What is wrong with a cron expression or its timezone, naming the field a caller gave. */
export class CronScheduleError extends Error {
  override name = 'CronScheduleError';
  constructor(readonly field: 'cron' | 'timezone', message: string) {
    super(`${field}: ${message}`);
  }
}

const SECOND = 1_000;
const ceilToSecond = (instant: Date): Date => new Date(Math.ceil(instant.getTime() / SECOND) * SECOND);

/**
 * A cron expression read in a timezone: the ticks of a schedule, computed by the `cron` library that
 * `@nestjs/schedule` uses. Every tick falls on a whole second. Tick times always come from the expression, never
 * from the clock when a timer happens to run.
 */
export class CronSchedule {
  private constructor(
    private readonly time: CronTime,
    readonly cron: string,
    readonly timezone: string,
  ) {}

  /**
   * Parses and checks `cron` (5 fields, or 6 with seconds first) in `timezone` (an IANA zone such as
   * `Europe/Berlin`, or `UTC`). Throws `CronScheduleError` naming the field, also for an expression that never fires.
   */
  static parse(cron: unknown, timezone: unknown): CronSchedule {
    if (typeof cron !== 'string' || cron.trim() === '') throw new CronScheduleError('cron', 'must be a cron expression');
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5 && fields.length !== 6) {
      throw new CronScheduleError(
        'cron',
        `'${cron}' has ${fields.length} fields; give 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)`,
      );
    }
    if (typeof timezone !== 'string' || timezone.trim() === '') throw new CronScheduleError('timezone', 'must be an IANA time zone');
    try {
      new CronTime('0 0 1 1 *', timezone);
    } catch {
      throw new CronScheduleError('timezone', `unknown time zone '${timezone}' (use an IANA name such as Europe/Berlin)`);
    }
    const normalized = fields.join(' ');
    let time: CronTime;
    try {
      time = new CronTime(normalized, timezone);
    } catch (error) {
      throw new CronScheduleError('cron', `'${cron}' is not a valid cron expression (${(error as Error).message})`);
    }
    const schedule = new CronSchedule(time, normalized, timezone);
    try {
      schedule.nextAfter(new Date());
    } catch {
      throw new CronScheduleError('cron', `'${cron}' never fires (no tick in the next 8 years)`);
    }
    return schedule;
  }

  /** The first tick strictly after `instant`. */
  nextAfter(instant: Date): Date {
    return this.time.getNextDateFrom(instant, this.timezone).toJSDate();
  }

  /** The first tick at or after `instant`. */
  firstAtOrAfter(instant: Date): Date {
    return this.nextAfter(new Date(ceilToSecond(instant).getTime() - SECOND));
  }

  /**
   * The latest tick at or before `until`, given that `from` ≤ `until` is a tick. A binary search over whole seconds
   * (about 40 steps for years), so that a schedule every second that missed a week costs no enumeration.
   */
  lastAtOrBefore(from: Date, until: Date): Date {
    let low = Math.floor(from.getTime() / SECOND);
    let high = Math.floor(until.getTime() / SECOND) + 1;
    // Invariant: a tick ≥ low is ≤ until; none ≥ high is.
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.firstAtOrAfter(new Date(middle * SECOND)).getTime() <= until.getTime()) low = middle;
      else high = middle;
    }
    return this.firstAtOrAfter(new Date(low * SECOND));
  }
}
