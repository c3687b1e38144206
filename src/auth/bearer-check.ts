import { HttpStatus } from '@nestjs/common';
import { apiErrorBody, type ApiErrorBody } from '../http/api-error.js';
import { bearerTokenOf, tokensMatch } from './bearer-token.js';

/** A refused request: the 401 body and the `WWW-Authenticate` header to send. */
export interface BearerRefusal {
  body: ApiErrorBody;
  wwwAuthenticate: string;
}

/**
 * The one token check, shared by the guard and the middleware: undefined (let through) when no token is configured
 * or the `Authorization: Bearer` token matches in constant time; the 401 to answer otherwise. Neither the expected
 * nor the presented token ever appears in the answer.
 */
export function checkBearer(authorization: string | string[] | undefined, expected: string | undefined, realm: string): BearerRefusal | undefined {
  if (expected === undefined) return undefined;
  const presented = bearerTokenOf(authorization);
  if (tokensMatch(presented, expected)) return undefined;
  const message = presented === undefined ? 'A bearer token is required (Authorization: Bearer <token>)' : 'The bearer token is not valid';
  return { body: apiErrorBody(HttpStatus.UNAUTHORIZED, message), wwwAuthenticate: `Bearer realm="${realm}"` };
}
