import { describe, expect, it } from 'vitest';
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
});
