/**
 * `FAULTS_PROFILE=short` (the default, run by CI) or `long`: the same scenarios, longer and with more load —
 * more kill rounds, a longer frozen period, a minute of old snapshot, more jobs.
 */
export const PROFILE: 'short' | 'long' = process.env.FAULTS_PROFILE === 'long' ? 'long' : 'short';

/** The short profile's value, or the long one's. */
export const pick = <T>(short: T, long: T): T => (PROFILE === 'long' ? long : short);

/** The lease most scenarios give their job servers, and their sweep interval. */
export const LEASE_MS = 2_000;
export const SWEEP_MS = 500;
