import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { apiErrorBody, type ApiErrorBody } from './api-error.js';

/** What body-parser attaches to the errors it passes on. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  body?: string;
  length?: number;
  limit?: number;
}

function describe(error: BodyParserError): ApiErrorBody | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      // Strict mode takes objects and arrays only; JSON.parse's message for `"x"` or `null` would confuse.
      return /^\s*[{[]/.test(error.body ?? '')
        ? apiErrorBody(HttpStatus.BAD_REQUEST, `is not valid JSON (${error.message})`, 'body')
        : apiErrorBody(HttpStatus.BAD_REQUEST, 'must be a JSON object', 'body');
    case 'entity.too.large':
      return apiErrorBody(
        HttpStatus.PAYLOAD_TOO_LARGE,
        `${error.length ?? 'more'} bytes exceeds the limit of ${error.limit} bytes (JOBS_MAX_BATCH_BYTES)`,
        'body',
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return apiErrorBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE, error.message);
    default:
      return error.status !== undefined && error.status >= 400 && error.status < 500
        ? apiErrorBody(error.status, error.message)
        : undefined;
  }
}

/**
 * Right after the JSON parser: its refusals (malformed JSON, a body over the limit, an unknown charset or
 * Content-Encoding) in the API's error shape; anything else goes on to Nest.
 */
export function bodyParserErrors(error: BodyParserError, _request: Request, response: Response, next: NextFunction): void {
  const body = describe(error);
  if (!body) return next(error);
  response.status(body.statusCode).json(body);
}
