import { SCHEDULED_METADATA } from '../schedules.constants.js';
import type { ScheduledOptions } from '../interfaces/scheduled-options.interface.js';

export interface ScheduledMetadata {
  cron: string;
  options: ScheduledOptions;
}

/**
 * Enqueues the job of this method's `@JobHandler` on every tick of `cron` (5 fields, or 6 with seconds first),
 * exactly once per tick however many containers run: the database decides which container creates the job, and it
 * runs like any other job (retries, result, history). Several `@Scheduled` on one handler need distinct `name`s
 * (e.g. one per region, each with its own `payload`). It only stores metadata: `ScheduleExplorer` finds it at
 * start-up, and an invalid expression, time zone or a duplicate name stops start-up.
 *
 * The schedule appears in `GET /schedules`; its cron and payload are owned by code (synced at start-up), its
 * `enabled` state by the database (a pause over HTTP survives restarts).
 */
export const Scheduled =
  (cron: string, options: ScheduledOptions = {}): MethodDecorator =>
  (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const existing = (Reflect.getMetadata(SCHEDULED_METADATA, method) as ScheduledMetadata[] | undefined) ?? [];
    Reflect.defineMetadata(SCHEDULED_METADATA, [...existing, { cron, options }], method);
    return descriptor;
  };
