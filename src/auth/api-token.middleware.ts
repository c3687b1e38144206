import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkBearer } from './bearer-check.js';

/**
 * An Express middleware answering 401 to requests without the bearer token `expected`, mounted (by `configureApp`)
 * on the protected path prefixes ahead of the content-type check and the body parser: a refused request is never
 * read further, so a malformed, oversized or non-JSON body without a token gets 401 like any other.
 */
export function requireBearerToken(expected: string, realm: string): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    const refusal = checkBearer(request.headers.authorization, expected, realm);
    if (!refusal) return next();
    // The body is never parsed: Node discards what the client still sends, without buffering it.
    response.setHeader('WWW-Authenticate', refusal.wwwAuthenticate);
    response.status(refusal.body.statusCode).json(refusal.body);
  };
}
