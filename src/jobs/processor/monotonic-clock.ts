/**
 * Milliseconds on the monotonic clock (CLOCK_MONOTONIC), the same in every thread of the process and untouched by
 * wall-clock changes: lease durations are measured with it, never with `Date.now()`.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint() / 1_000_000n);
