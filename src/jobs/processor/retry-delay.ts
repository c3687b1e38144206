import { DEFAULT_BACKOFF } from '../jobs.constants.js';
import type { JobHandlerOptions } from '../interfaces/job-handler-options.interface.js';

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of a burst of jobs that
 * failed together (a dependency went down) spread out instead of returning in lockstep.
 */
export function retryDelayMs(attempt: number, backoff: JobHandlerOptions['backoff'], random = Math.random): number {
  const base = backoff?.delayMs ?? DEFAULT_BACKOFF.delayMs;
  const cap = backoff?.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const exponential = Math.min(cap, base * 2 ** Math.min(Math.max(attempt - 1, 0), 40));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
