import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import {
  InvalidJobInputError,
  JobNotFoundError,
  JobsError,
  JobsNotReadyError,
  JobStateConflictError,
  PayloadTooLargeError,
  ScheduleConflictError,
  ScheduleNotFoundError,
} from '../jobs/index.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const statusOf = (error: JobsError): number => {
  if (error instanceof InvalidJobInputError) return HttpStatus.BAD_REQUEST;
  if (error instanceof PayloadTooLargeError) return HttpStatus.PAYLOAD_TOO_LARGE;
  if (error instanceof JobNotFoundError || error instanceof ScheduleNotFoundError) return HttpStatus.NOT_FOUND;
  if (error instanceof JobStateConflictError || error instanceof ScheduleConflictError) return HttpStatus.CONFLICT;
  if (error instanceof JobsNotReadyError) return HttpStatus.SERVICE_UNAVAILABLE;
  return HttpStatus.INTERNAL_SERVER_ERROR;
};

/** Maps the jobs (and schedules) domain errors to HTTP, in Nest's usual error shape plus the offending `field`. */
@Catch(JobsError)
export class JobsErrorsFilter implements ExceptionFilter {
  catch(error: JobsError, host: ArgumentsHost): void {
    const status = statusOf(error);
    const field = (error as { field?: string }).field;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({ statusCode: status, error: REASONS[status], message: error.message, ...(field ? { field } : {}) });
  }
}
