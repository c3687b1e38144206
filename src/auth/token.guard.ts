import { UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { checkBearer } from './bearer-check.js';

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
    const http = context.switchToHttp();
    const refusal = checkBearer(http.getRequest<Request>().headers.authorization, this.expectedToken(), this.realm);
    if (!refusal) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', refusal.wwwAuthenticate);
    throw new UnauthorizedException(refusal.body);
  }
}
