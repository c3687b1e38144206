import type { OverlapPolicy } from './interfaces/schedule.interface.js';

/**
 * The dedup key of a schedule's jobs. With `overlap: 'skip'` every job of the schedule shares one key, so the
 * jobs table's live-key index itself refuses a new run while the previous one is pending or processing (ticks and
 * triggers alike, across containers). With `'allow'` the key names the tick: a second safety net for exactly once.
 */
export function scheduleJobKey(scheduleName: string, overlap: OverlapPolicy, fireTime: Date | null): string | undefined {
  if (overlap === 'skip') return `schedule:${scheduleName}`;
  return fireTime ? `schedule:${scheduleName}:${fireTime.toISOString()}` : undefined;
}
