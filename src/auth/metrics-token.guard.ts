import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { securityConfig } from '../config/security.config.js';
import { TokenGuard } from './token.guard.js';

/** METRICS_TOKEN: on `GET /metrics` alone. */
@Injectable()
export class MetricsTokenGuard extends TokenGuard {
  protected readonly realm = 'metrics';

  constructor(@Inject(securityConfig.KEY) private readonly security: ConfigType<typeof securityConfig>) {
    super();
  }

  protected expectedToken(): string | undefined {
    return this.security.metricsToken;
  }
}
