import { describe, expect, it } from 'vitest';
import { CronSchedule, CronScheduleError } from './cron-schedule.js';

const at = (iso: string) => new Date(iso);
const problemOf = (cron: unknown, timezone: unknown = 'UTC'): CronScheduleError => {
  try {
    CronSchedule.parse(cron, timezone);
  } catch (error) {
    expect(error).toBeInstanceOf(CronScheduleError);
    return error as CronScheduleError;
  }
  throw new Error(`accepted ${JSON.stringify(cron)} in ${JSON.stringify(timezone)}`);
};

describe('CronSchedule', () => {
  it('reads 5 fields as minutes and 6 fields with seconds first', () => {
    expect(CronSchedule.parse('*/15 * * * *', 'UTC').nextAfter(at('2025-01-01T10:07:30Z'))).toEqual(at('2025-01-01T10:15:00Z'));
    expect(CronSchedule.parse('*/20 * * * * *', 'UTC').nextAfter(at('2025-01-01T10:07:30Z'))).toEqual(at('2025-01-01T10:07:40Z'));
  });

  it('computes ticks in the schedule timezone, across daylight-saving changes', () => {
    const berlin = CronSchedule.parse('0 3 * * *', 'Europe/Berlin');
    expect(berlin.nextAfter(at('2025-01-15T12:00:00Z'))).toEqual(at('2025-01-16T02:00:00Z')); // CET, UTC+1
    expect(berlin.nextAfter(at('2025-07-15T12:00:00Z'))).toEqual(at('2025-07-16T01:00:00Z')); // CEST, UTC+2
    // 02:30 happens twice on the autumn change: it still fires once.
    const half = CronSchedule.parse('30 2 * * *', 'Europe/Berlin');
    const first = half.nextAfter(at('2025-10-25T12:00:00Z'));
    expect(first).toEqual(at('2025-10-26T00:30:00Z'));
    expect(half.nextAfter(first)).toEqual(at('2025-10-27T01:30:00Z'));
  });

  it('is strictly after, and firstAtOrAfter includes a tick itself', () => {
    const everySecond = CronSchedule.parse('* * * * * *', 'UTC');
    expect(everySecond.nextAfter(at('2025-01-01T00:00:00.000Z'))).toEqual(at('2025-01-01T00:00:01Z'));
    expect(everySecond.nextAfter(at('2025-01-01T00:00:00.400Z'))).toEqual(at('2025-01-01T00:00:01Z'));
    expect(everySecond.firstAtOrAfter(at('2025-01-01T00:00:00.000Z'))).toEqual(at('2025-01-01T00:00:00Z'));
    expect(everySecond.firstAtOrAfter(at('2025-01-01T00:00:00.400Z'))).toEqual(at('2025-01-01T00:00:01Z'));
  });

  it('finds the latest tick before a time without enumerating (a week of seconds)', () => {
    const everySecond = CronSchedule.parse('* * * * * *', 'UTC');
    const began = performance.now();
    expect(everySecond.lastAtOrBefore(at('2025-01-01T00:00:00Z'), at('2025-01-08T06:07:08.900Z'))).toEqual(at('2025-01-08T06:07:08Z'));
    expect(performance.now() - began).toBeLessThan(500);
    const yearly = CronSchedule.parse('0 0 0 1 1 *', 'UTC');
    expect(yearly.lastAtOrBefore(at('2021-01-01T00:00:00Z'), at('2024-06-01T00:00:00Z'))).toEqual(at('2024-01-01T00:00:00Z'));
  });

  it.each([
    ['* * * *', 'cron', /4 fields/],
    ['* * * * * * *', 'cron', /7 fields/],
    ['@daily', 'cron', /1 fields/],
    ['61 * * * *', 'cron', /not a valid cron/],
    ['* * * * blursday', 'cron', /not a valid cron/],
    ['0 0 30 2 *', 'cron', /never fires/],
    ['', 'cron', /must be a cron/],
  ])('refuses the expression %j naming the cron field', (cron, field, message) => {
    const problem = problemOf(cron);
    expect(problem.field).toBe(field);
    expect(problem.message).toMatch(message);
  });

  it.each(['Mars/Olympus_Mons', 'Europe/Berln', ''])('refuses the time zone %j naming the timezone field', (zone) => {
    expect(problemOf('0 3 * * *', zone).field).toBe('timezone');
  });
});
