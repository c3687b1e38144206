import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  isStopped: () => boolean;
  onError: (error: unknown, delayMs: number) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Calls `attempt` until it succeeds or the caller stops; waits 0.2 s, 0.4 s, … up to 5 s between failures. */
export async function retryWithBackoff(attempt: () => Promise<void>, options: RetryOptions): Promise<void> {
  let delayMs = options.initialDelayMs ?? 200;
  while (!options.isStopped()) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (options.isStopped()) return;
      options.onError(error, delayMs);
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 5_000);
    }
  }
}
