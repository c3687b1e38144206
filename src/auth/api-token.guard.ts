import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { securityConfig } from '../config/security.config.js';
import { TokenGuard } from './token.guard.js';

/** JOBS_API_TOKEN: on the jobs API, the schedules API and the dashboard's data and actions (`@UseGuards`). */
@Injectable()
export class ApiTokenGuard extends TokenGuard {
  protected readonly realm = 'jobs';

  constructor(@Inject(securityConfig.KEY) private readonly security: ConfigType<typeof securityConfig>) {
    super();
  }

  protected expectedToken(): string | undefined {
    return this.security.apiToken;
  }
}
