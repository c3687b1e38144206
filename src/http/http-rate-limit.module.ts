import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { HealthController } from '../health/health.controller.js';
import { ClientThrottlerGuard } from './client-throttler.guard.js';

export interface HttpRateLimitOptions {
  /** Requests per client per window. */
  limit: number;
  windowMs: number;
}

/**
 * A per-client rate limit on every application route (`@nestjs/throttler`, in this process's memory): at most
 * `limit` requests per `windowMs` from one client address, counted across all routes together; beyond it 429 with
 * `Retry-After` (seconds) until the window that began with the refused request has passed. Health probes are never
 * limited, so an orchestrator never restarts a container because a client was busy. Behind reverse proxies, set
 * HTTP_TRUST_PROXY_HOPS so that the client address comes from `X-Forwarded-For`.
 */
@Module({})
export class HttpRateLimitModule {
  static forRoot(options: HttpRateLimitOptions): DynamicModule {
    return {
      module: HttpRateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ limit: options.limit, ttl: options.windowMs }],
          // One budget per client for the whole API (the default key would give each route its own).
          generateKey: (_context, tracker, throttler) => `${throttler}:${tracker}`,
          skipIf: (context) => context.getClass() === HealthController,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ClientThrottlerGuard }],
    };
  }
}
