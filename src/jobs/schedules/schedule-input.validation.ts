import { toNewJobRow, type PayloadLimits } from '../job-input.validation.js';
import { InvalidJobInputError } from '../errors/jobs.errors.js';
import type { JobHandlerRegistry } from '../job-handler.registry.js';
import type { ResolvedScheduleDefinition, ScheduleChanges, ScheduleDefinition } from './interfaces/schedule.interface.js';
import { resolveScheduleDefinition } from './schedule-definition.validation.js';
import type { ScheduleRow } from './schedule-row.mapper.js';

/** The fields of a definition that `PATCH` may change (with `enabled`). */
export const DEFINITION_FIELDS = ['cron', 'timezone', 'jobName', 'payload', 'missed', 'overlap'] as const;

/** Every rule of a new schedule: cron, time zone, policies, a registered job name, a payload its handler accepts. */
export async function resolveNewSchedule(
  input: ScheduleDefinition,
  handlers: JobHandlerRegistry,
  limits: PayloadLimits,
): Promise<ResolvedScheduleDefinition> {
  const resolved = resolveScheduleDefinition(input);
  await checkJob(resolved, handlers, limits);
  return resolved;
}

/** A stored schedule with `changes` applied, checked as a whole (a new job name must accept the payload). */
export async function mergeScheduleChanges(
  row: ScheduleRow,
  changes: ScheduleChanges,
  handlers: JobHandlerRegistry,
  limits: PayloadLimits,
): Promise<ResolvedScheduleDefinition & { enabled: boolean }> {
  if (changes.enabled !== undefined && typeof changes.enabled !== 'boolean') throw new InvalidJobInputError('enabled', 'must be a boolean');
  const resolved = resolveScheduleDefinition({
    name: row.name,
    cron: changes.cron ?? row.cron,
    timezone: changes.timezone ?? row.timezone,
    jobName: changes.jobName ?? row.job_name,
    payload: changes.payload !== undefined ? changes.payload : row.payload,
    missed: changes.missed ?? row.missed,
    overlap: changes.overlap ?? row.overlap,
  });
  await checkJob(resolved, handlers, limits);
  return { ...resolved, enabled: changes.enabled ?? row.enabled };
}

/** The enqueue rules, run now so that a tick never meets a job it cannot create; `name` is reported as `jobName`. */
async function checkJob(schedule: ResolvedScheduleDefinition, handlers: JobHandlerRegistry, limits: PayloadLimits): Promise<void> {
  if (!handlers.has(schedule.jobName)) {
    throw new InvalidJobInputError('jobName', `no handler is registered for '${schedule.jobName}'`);
  }
  await toNewJobRow({ name: schedule.jobName, payload: schedule.payload ?? undefined }, handlers, limits);
}
