import { JobsError } from '../errors/jobs.errors.js';

/** No schedule has this name. HTTP 404. */
export class ScheduleNotFoundError extends JobsError {
  override name = 'ScheduleNotFoundError';
  constructor(readonly scheduleName: string) {
    super(`Schedule '${scheduleName}' not found`);
  }
}

/** The name is taken, or the change conflicts with where the schedule is declared (code). HTTP 409. */
export class ScheduleConflictError extends JobsError {
  override name = 'ScheduleConflictError';
}
