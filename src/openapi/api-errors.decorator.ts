import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto.js';

/** The error statuses an API route can answer, and when. */
const WHEN = {
  400: 'Invalid input: a field, a query parameter or the JSON itself (the message names the field)',
  401: 'JOBS_API_TOKEN is set and the request has no valid `Authorization: Bearer` token; nothing changed',
  404: 'No such job or schedule',
  408: 'No answer within HTTP_REQUEST_TIMEOUT_MS; the request may still take effect',
  409: 'The job or schedule is not in a state that allows this',
  413: 'The body exceeds JOBS_MAX_BATCH_BYTES, or a payload exceeds JOBS_MAX_PAYLOAD_BYTES',
  415: 'A body that is not `application/json`',
  429: 'More than HTTP_RATE_LIMIT requests from this client in the window (when the limit is set); see `Retry-After`',
  503: 'The database is not reachable or not migrated yet',
} as const;

export type ApiErrorStatus = keyof typeof WHEN;

/** Statuses every application route can answer, whatever it does: timeout, rate limit, database not ready. */
export const COMMON_ERRORS: ApiErrorStatus[] = [408, 429, 503];

/** Statuses of every route that reads a JSON body, on top of `COMMON_ERRORS`. */
export const BODY_ERRORS: ApiErrorStatus[] = [400, 413, 415];

/**
 * Documents error responses with the API's one error shape (`ApiErrorDto`). 401 is documented by
 * `@RequireApiToken()`, where it applies.
 */
export const ApiErrors = (...statuses: ApiErrorStatus[]): MethodDecorator & ClassDecorator =>
  applyDecorators(...[...new Set(statuses)].map((status) => ApiResponse({ status, description: WHEN[status], type: ApiErrorDto })));

/** What a status means, for the 401 that `@RequireApiToken()` documents. */
export const errorDescription = (status: ApiErrorStatus): string => WHEN[status];
