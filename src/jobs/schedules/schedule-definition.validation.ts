import { JOB_NAME_PATTERN } from '../jobs.constants.js';
import { InvalidJobInputError } from '../errors/jobs.errors.js';
import { CronSchedule, CronScheduleError } from './cron-schedule.js';
import { DEFAULT_MISSED, DEFAULT_OVERLAP, DEFAULT_TIMEZONE, MISSED_POLICIES, OVERLAP_POLICIES } from './schedules.constants.js';
import type { ResolvedScheduleDefinition, ScheduleDefinition } from './interfaces/schedule.interface.js';

/**
 * Checks what can be checked without the handler registry (name, cron, time zone, policies) and applies the
 * defaults. Throws `InvalidJobInputError` naming the field; code declarations turn it into a start-up error.
 */
export function resolveScheduleDefinition(definition: ScheduleDefinition): ResolvedScheduleDefinition {
  if (typeof definition.name !== 'string' || !JOB_NAME_PATTERN.test(definition.name)) {
    throw new InvalidJobInputError('name', `must match ${JOB_NAME_PATTERN}`);
  }
  if (typeof definition.jobName !== 'string' || !JOB_NAME_PATTERN.test(definition.jobName)) {
    throw new InvalidJobInputError('jobName', `must match ${JOB_NAME_PATTERN}`);
  }
  const timezone = definition.timezone ?? DEFAULT_TIMEZONE;
  const cron = parseCron(definition.cron, timezone).cron;
  const missed = definition.missed ?? DEFAULT_MISSED;
  if (!MISSED_POLICIES.includes(missed)) throw new InvalidJobInputError('missed', `must be one of ${MISSED_POLICIES.join(', ')}`);
  const overlap = definition.overlap ?? DEFAULT_OVERLAP;
  if (!OVERLAP_POLICIES.includes(overlap)) throw new InvalidJobInputError('overlap', `must be one of ${OVERLAP_POLICIES.join(', ')}`);
  return { name: definition.name, cron, timezone, jobName: definition.jobName, payload: definition.payload ?? null, missed, overlap };
}

/**
 * A schedule name given to look one up (`get`, `update`, `remove`, `trigger`): every schedule's name matches
 * `JOB_NAME_PATTERN`, so anything else is refused naming `name` before it reaches a query (Postgres refuses a NUL).
 */
export function parseScheduleName(name: unknown): string {
  if (typeof name !== 'string' || !JOB_NAME_PATTERN.test(name)) throw new InvalidJobInputError('name', `must match ${JOB_NAME_PATTERN}`);
  return name;
}

/** `CronSchedule.parse`, its problems as `InvalidJobInputError` naming `cron` or `timezone`. */
export function parseCron(cron: unknown, timezone: unknown): CronSchedule {
  try {
    return CronSchedule.parse(cron, timezone);
  } catch (error) {
    if (error instanceof CronScheduleError) throw new InvalidJobInputError(error.field, error.message.slice(error.field.length + 2));
    throw error;
  }
}
