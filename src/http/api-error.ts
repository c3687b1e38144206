import { BadRequestException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/**
 * The one error shape of the API, whichever layer refuses a request: `message` a string that starts with the
 * offending `field` when there is one (`"priority: must be …"`).
 */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
}

export const apiErrorBody = (statusCode: number, message: string, field?: string): ApiErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message: field ? `${field}: ${message}` : message,
  ...(field ? { field } : {}),
});

/** A 400 naming the field, in the API's shape. */
export const badRequest = (field: string, message: string): BadRequestException =>
  new BadRequestException(apiErrorBody(HttpStatus.BAD_REQUEST, message, field));
