import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { appConfig } from './config/app.config.js';
import { databaseConfig } from './config/database.config.js';
import { jobsConfig } from './config/jobs.config.js';
import { securityConfig } from './config/security.config.js';
import { servesApplicationRoutes, type DeploymentMode } from './config/deployment-mode.js';
import { DatabaseModule } from './database/database.module.js';
import { DatabaseService } from './database/database.service.js';
import { JobsModule } from './jobs/index.js';
import { JobsApiModule } from './jobs-api/jobs-api.module.js';
import { SchedulesApiModule } from './schedules-api/schedules-api.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { DemoModule } from './demo/demo.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { HttpRateLimitModule, type HttpRateLimitOptions } from './http/http-rate-limit.module.js';

export interface AppModuleOptions {
  mode: DeploymentMode;
  demoJobs: boolean;
  /** Per-client limit on the application routes (HTTP_RATE_LIMIT); undefined: none. */
  rateLimit?: HttpRateLimitOptions;
  /** Extra feature modules (see `bootstrap`). */
  modules?: Array<Type | DynamicModule>;
}

/**
 * The application, shaped by the deployment mode: job-only servers get health but no application routes; the
 * `JobsModule` factory decides whether this process executes jobs.
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const routes = servesApplicationRoutes(options.mode);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig, databaseConfig, jobsConfig, securityConfig] }),
        DatabaseModule,
        JobsModule.forRootAsync({
          inject: [jobsConfig.KEY, DatabaseService],
          useFactory: (jobs: ConfigType<typeof jobsConfig>, database: DatabaseService) => ({
            dataSource: () => database.connected(),
            schema: jobs.schema,
            maxPayloadBytes: jobs.maxPayloadBytes,
            maxPayloadDepth: jobs.maxPayloadDepth,
            maxBatchSize: jobs.maxBatchSize,
            maxPageSize: jobs.maxPageSize,
            processing: {
              enabled: jobs.processingEnabled,
              concurrency: jobs.concurrency,
              queues: jobs.queues,
              leaseMs: jobs.leaseMs,
              sweepIntervalMs: jobs.sweepIntervalMs,
              pollIntervalMs: jobs.pollIntervalMs,
              shutdownGraceMs: jobs.shutdownGraceMs,
              leaseWatchdog: jobs.leaseWatchdog,
            },
            retention: jobs.retention,
          }),
        }),
        HealthModule,
        MetricsModule,
        ...(routes ? [JobsApiModule, SchedulesApiModule, DashboardModule] : []),
        ...(routes && options.rateLimit ? [HttpRateLimitModule.forRoot(options.rateLimit)] : []),
        ...(options.demoJobs ? [DemoModule.register({ routes })] : []),
        ...(options.modules ?? []),
      ],
    };
  }
}
