import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.js';

const lowest = () => 0;
const highest = () => 1;

describe('retryDelayMs', () => {
  it('doubles with each attempt: delayMs · 2^(attempt−1) at the top of the jitter range', () => {
    const backoff = { delayMs: 100, maxDelayMs: 1_000_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, backoff, highest))).toEqual([100, 200, 400, 800, 1_600, 3_200]);
  });

  it('never goes below half the exponential delay (equal jitter)', () => {
    const backoff = { delayMs: 100, maxDelayMs: 1_000_000 };
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, backoff, lowest))).toEqual([50, 100, 200, 400]);
    expect(retryDelayMs(3, backoff, () => 0.5)).toBe(300);
  });

  it('stays within [delay/2, delay] for any random value', () => {
    const backoff = { delayMs: 250, maxDelayMs: 60_000 };
    for (let attempt = 1; attempt <= 12; attempt++) {
      const full = Math.min(60_000, 250 * 2 ** (attempt - 1));
      for (let sample = 0; sample < 50; sample++) {
        const delay = retryDelayMs(attempt, backoff);
        expect(delay).toBeGreaterThanOrEqual(full / 2);
        expect(delay).toBeLessThanOrEqual(full);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('caps the delay at maxDelayMs', () => {
    const backoff = { delayMs: 1_000, maxDelayMs: 5_000 };
    expect(retryDelayMs(3, backoff, highest)).toBe(4_000);
    expect(retryDelayMs(4, backoff, highest)).toBe(5_000);
    expect(retryDelayMs(4, backoff, lowest)).toBe(2_500);
    expect(retryDelayMs(60, backoff, highest)).toBe(5_000);
  });

  it('stays finite for huge attempt numbers and treats attempt 0 as the first', () => {
    const backoff = { delayMs: 1_000, maxDelayMs: 3_600_000 };
    expect(retryDelayMs(1_000, backoff, highest)).toBe(3_600_000);
    expect(retryDelayMs(0, backoff, highest)).toBe(1_000);
  });

  it('defaults to 1 s doubling up to 1 h', () => {
    expect(retryDelayMs(1, undefined, highest)).toBe(1_000);
    expect(retryDelayMs(1, undefined, lowest)).toBe(500);
    expect(retryDelayMs(2, {}, highest)).toBe(2_000);
    expect(retryDelayMs(30, undefined, highest)).toBe(3_600_000);
    expect(retryDelayMs(3, { delayMs: 10 }, highest)).toBe(40);
  });
});
