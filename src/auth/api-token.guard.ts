import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { securityConfig } from '../config/security.config.js';
import { API_TOKEN_REALM } from './api-token-realm.js';
import { TokenGuard } from './token.guard.js';

/**
 * JOBS_API_TOKEN, checked again inside Nest on the controllers marked `@RequireApiToken()` (the middleware already
 * refused a bad token before the body was read; this keeps the check where the marker is, should a route be
 * served without `configureApp`).
 */
@Injectable()
export class ApiTokenGuard extends TokenGuard {
  protected readonly realm = API_TOKEN_REALM;

  constructor(@Inject(securityConfig.KEY) private readonly security: ConfigType<typeof securityConfig>) {
    super();
  }

  protected expectedToken(): string | undefined {
    return this.security.apiToken;
  }
}
