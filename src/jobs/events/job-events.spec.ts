import { Logger, type LoggerService } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { JobEvents } from './job-events.js';

const row = (name: string, created = true, queue = 'default') => ({ name, queue, created });
const job = (attempt: number, maxAttempts: number) => ({ name: 'n', queue: 'q', attempt, maxAttempts });

describe('JobEvents', () => {
  it('reports created rows once per run of one queue and name, skipping dedup hits', () => {
    const events = new JobEvents();
    const heard: Array<[string, string, number]> = [];
    events.subscribe({ enqueued: (queue, name, count) => heard.push([queue, name, count]) });
    events.enqueued([row('a'), row('a'), row('a', false), row('b'), row('a', true, 'other'), row('a', false)]);
    expect(heard).toEqual([
      ['default', 'a', 2],
      ['default', 'b', 1],
      ['other', 'a', 1],
    ]);
  });

  it('calls a failure retried unless it was the last attempt, and passes other outcomes through', () => {
    const events = new JobEvents();
    const heard: string[] = [];
    events.subscribe({ settled: (_job, outcome) => heard.push(outcome) });
    events.settled(job(1, 3), 'failed', 1);
    events.settled(job(3, 3), 'failed', 1);
    events.settled(job(1, 3), 'completed', 1);
    events.settled(job(1, 1), 'cancelled', 1);
    events.settled(job(1, 1), 'released', 1);
    expect(heard).toEqual(['retried', 'failed', 'completed', 'cancelled', 'released']);
  });

  it('stops calling a listener once unsubscribed', () => {
    const events = new JobEvents();
    let claims = 0;
    const unsubscribe = events.subscribe({ claimed: (count) => (claims += count) });
    events.claimed(2, 1);
    unsubscribe();
    events.claimed(5, 1);
    expect(claims).toBe(2);
  });

  describe('a listener that throws', () => {
    afterEach(() => Logger.overrideLogger(false));

    it('never reaches the caller, nor keeps the other listeners from hearing; its first error is logged', () => {
      const errors: string[] = [];
      const capture: LoggerService = {
        log: () => undefined,
        warn: () => undefined,
        error: (message: string) => void errors.push(message),
      };
      Logger.overrideLogger(capture);
      const events = new JobEvents();
      const broken = () => {
        throw new Error('listener bug');
      };
      events.subscribe({ enqueued: broken, claimed: broken, started: broken, settled: broken, rescued: broken });
      const heard: string[] = [];
      events.subscribe({
        enqueued: () => heard.push('enqueued'),
        claimed: () => heard.push('claimed'),
        started: () => heard.push('started'),
        settled: () => heard.push('settled'),
        rescued: () => heard.push('rescued'),
      });
      // An enqueue that committed, a claim holding its jobs: the caller goes on as if nobody listened.
      expect(() => {
        events.enqueued([row('a')]);
        events.claimed(1, 1);
        events.started('q', 'n', 1);
        events.settled(job(1, 1), 'completed', 1);
        events.rescued(1);
        events.claimed(1, 1);
      }).not.toThrow();
      expect(heard).toEqual(['enqueued', 'claimed', 'started', 'settled', 'rescued', 'claimed']);
      expect(errors).toEqual([expect.stringContaining("threw on 'enqueued' (listener bug)")]);
    });
  });
});
