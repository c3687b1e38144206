import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JOBS_MODULE_OPTIONS } from './jobs.constants.js';
import type { JobsModuleAsyncOptions, JobsModuleOptions } from './interfaces/jobs-module-options.interface.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobHandlerExplorer } from './job-handler.explorer.js';
import { JobRepository } from './job.repository.js';
import { JobsDatabase } from './jobs-database.js';
import { JobsService } from './jobs.service.js';
import { JobStatsService } from './stats/job-stats.service.js';
import { JobEvents } from './events/job-events.js';
import { JobProcessorService } from './job-processor.service.js';
import { scheduleProviders } from './schedules/schedules.providers.js';
import { SchedulesService } from './schedules/schedules.service.js';
import { ScheduleOrchestrator } from './schedules/schedule.orchestrator.js';
import { ScheduleSynchronizer } from './schedules/schedule.synchronizer.js';

/**
 * The jobs feature. `forRootAsync` always provides `JobsService`, `SchedulesService`, the repository and the
 * handler registry; its config-driven factory creates `JobProcessorService` (and with it the schedule orchestrator)
 * only where `processing.enabled` is true — elsewhere those tokens resolve to `null` and nothing in the process
 * claims or runs a job, or fires a schedule.
 */
@Module({})
export class JobsModule {
  static forRootAsync(options: JobsModuleAsyncOptions): DynamicModule {
    const processor: Provider = {
      provide: JobProcessorService,
      inject: [JOBS_MODULE_OPTIONS, JobHandlerRegistry, JobRepository, JobsDatabase, JobEvents],
      useFactory: (
        resolved: JobsModuleOptions,
        registry: JobHandlerRegistry,
        repository: JobRepository,
        database: JobsDatabase,
        events: JobEvents,
      ): JobProcessorService | null =>
        resolved.processing?.enabled ? new JobProcessorService(resolved.processing, registry, repository, database, events) : null,
    };
    return {
      module: JobsModule,
      global: options.isGlobal ?? true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: JOBS_MODULE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        JobHandlerRegistry,
        JobHandlerExplorer,
        JobsDatabase,
        JobRepository,
        JobsService,
        JobStatsService,
        JobEvents,
        processor,
        ...scheduleProviders,
      ],
      exports: [
        JobsService,
        JobStatsService,
        JobEvents,
        JobHandlerRegistry,
        JobProcessorService,
        JobsDatabase,
        SchedulesService,
        ScheduleOrchestrator,
        ScheduleSynchronizer,
      ],
    };
  }
}
