import { UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { bearerTokenOf, tokensMatch } from './bearer-token.js';

/**
 * Lets a request through when no token is configured, or when its `Authorization: Bearer` token matches; 401 with
 * `WWW-Authenticate` otherwise. Guards run before pipes and handlers, so a refused request changes nothing. The
 * token is never logged or echoed.
 */
export abstract class TokenGuard implements CanActivate {
  protected abstract expectedToken(): string | undefined;
  /** The realm named in `WWW-Authenticate`. */
  protected abstract readonly realm: string;

  canActivate(context: ExecutionContext): boolean {
    const expected = this.expectedToken();
    if (expected === undefined) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const presented = bearerTokenOf(request.headers.authorization);
    if (tokensMatch(presented, expected)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', `Bearer realm="${this.realm}"`);
    throw new UnauthorizedException(
      presented === undefined ? 'A bearer token is required (Authorization: Bearer <token>)' : 'The bearer token is not valid',
    );
  }
}
