import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { apiErrorBody } from './api-error.js';

/** A body is there when its length is announced and above zero, or it comes chunked (`fetch` sends `0` for none). */
const hasBody = (request: Request): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/**
 * Every body the API takes is JSON: a request whose body comes with another content type (`text/plain`, a form,
 * `multipart/form-data`) or none is answered 415 before it is read, rather than reaching validation as an empty body
 * and failing there with a misleading "name: must be a string". Requests without a body pass.
 */
export function requireJsonBodies(request: Request, response: Response, next: NextFunction): void {
  if (!hasBody(request) || request.is('application/json')) return next();
  const given = request.headers['content-type'];
  const got = given === undefined ? 'no Content-Type' : JSON.stringify(given.slice(0, 100));
  response
    .status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
    .json(apiErrorBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `Content-Type must be application/json (got ${got})`));
}
