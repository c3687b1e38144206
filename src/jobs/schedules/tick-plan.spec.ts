import { describe, expect, it } from 'vitest';
import { CronSchedule } from './cron-schedule.js';
import { planTicks } from './tick-plan.js';

const at = (iso: string) => new Date(iso);
const everySecond = CronSchedule.parse('* * * * * *', 'UTC');
const TOLERANCE = 30_000;

describe('planTicks', () => {
  it('fires the tick that is due now and moves to the next', () => {
    const plan = planTicks(everySecond, at('2025-01-01T00:00:10Z'), at('2025-01-01T00:00:10.003Z'), TOLERANCE);
    expect(plan).toEqual({ missed: null, due: [at('2025-01-01T00:00:10Z')], next: at('2025-01-01T00:00:11Z') });
  });

  it('has nothing due before the first undecided tick', () => {
    const plan = planTicks(everySecond, at('2025-01-01T00:00:10Z'), at('2025-01-01T00:00:09.990Z'), TOLERANCE);
    expect(plan).toEqual({ missed: null, due: [], next: at('2025-01-01T00:00:10Z') });
  });

  it('fires every late tick within the tolerance on its own', () => {
    const plan = planTicks(everySecond, at('2025-01-01T00:00:10Z'), at('2025-01-01T00:00:13.500Z'), TOLERANCE);
    expect(plan.missed).toBeNull();
    expect(plan.due.map((tick) => tick.toISOString())).toEqual([
      '2025-01-01T00:00:10.000Z', '2025-01-01T00:00:11.000Z', '2025-01-01T00:00:12.000Z', '2025-01-01T00:00:13.000Z',
    ]);
    expect(plan.next).toEqual(at('2025-01-01T00:00:14Z'));
  });

  it('reports ticks older than the tolerance as missed, from the first to the last, and the recent ones as due', () => {
    const plan = planTicks(everySecond, at('2025-01-01T00:00:00Z'), at('2025-01-01T01:00:00.500Z'), 2_000);
    expect(plan.missed).toEqual({ first: at('2025-01-01T00:00:00Z'), last: at('2025-01-01T00:59:58Z') });
    expect(plan.due).toEqual([at('2025-01-01T00:59:59Z'), at('2025-01-01T01:00:00Z')]);
    expect(plan.next).toEqual(at('2025-01-01T01:00:01Z'));
  });

  it('handles years of missed yearly ticks', () => {
    const yearly = CronSchedule.parse('0 0 0 1 1 *', 'UTC');
    const plan = planTicks(yearly, at('2021-01-01T00:00:00Z'), at('2024-06-01T00:00:00Z'), TOLERANCE);
    expect(plan).toEqual({
      missed: { first: at('2021-01-01T00:00:00Z'), last: at('2024-01-01T00:00:00Z') },
      due: [],
      next: at('2025-01-01T00:00:00Z'),
    });
  });

  it('starts from the first tick at or after a cursor that is not a tick itself', () => {
    const hourly = CronSchedule.parse('0 * * * *', 'UTC');
    const plan = planTicks(hourly, at('2025-01-01T00:20:00Z'), at('2025-01-01T01:00:05Z'), TOLERANCE);
    expect(plan).toEqual({ missed: null, due: [at('2025-01-01T01:00:00Z')], next: at('2025-01-01T02:00:00Z') });
  });
});
