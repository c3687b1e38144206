import type { Provider } from '@nestjs/common';
import { JOBS_MODULE_OPTIONS } from '../jobs.constants.js';
import type { JobsModuleOptions } from '../interfaces/jobs-module-options.interface.js';
import { JobHandlerRegistry } from '../job-handler.registry.js';
import { JobProcessorService } from '../job-processor.service.js';
import { JobsDatabase } from '../jobs-database.js';
import { JobsService } from '../jobs.service.js';
import { JobsPruneHandler } from '../maintenance/jobs-prune.handler.js';
import { DEFAULT_MISSED_TOLERANCE_MS, DEFAULT_REFRESH_INTERVAL_MS, MAX_MISSED_TOLERANCE_MS } from './schedules.constants.js';
import { ScheduleExplorer } from './schedule.explorer.js';
import { ScheduleOrchestrator } from './schedule.orchestrator.js';
import { ScheduleRegistry } from './schedule.registry.js';
import { ScheduleRepository, type FiringScope } from './schedule.repository.js';
import { ScheduleSynchronizer } from './schedule.synchronizer.js';
import { ScheduleTicker } from './schedule-ticker.js';
import { SchedulesService } from './schedules.service.js';

/**
 * The orchestrator exists only where processing is enabled, like `JobProcessorService` (null elsewhere): a
 * container that executes no job fires no schedule either.
 */
const orchestratorProvider: Provider = {
  provide: ScheduleOrchestrator,
  inject: [
    JOBS_MODULE_OPTIONS,
    JobProcessorService,
    JobsDatabase,
    ScheduleSynchronizer,
    ScheduleRepository,
    JobsService,
    ScheduleRegistry,
    JobHandlerRegistry,
  ],
  useFactory: (
    options: JobsModuleOptions,
    processor: JobProcessorService | null,
    database: JobsDatabase,
    synchronizer: ScheduleSynchronizer,
    repository: ScheduleRepository,
    jobs: JobsService,
    schedules: ScheduleRegistry,
    handlers: JobHandlerRegistry,
  ): ScheduleOrchestrator | null => {
    if (!processor) return null;
    const missedToleranceMs = options.scheduling?.missedToleranceMs ?? DEFAULT_MISSED_TOLERANCE_MS;
    // Below ~100 ms, ordinary evaluation latency would turn on-time ticks into missed ones.
    if (!Number.isInteger(missedToleranceMs) || missedToleranceMs < 100 || missedToleranceMs > MAX_MISSED_TOLERANCE_MS) {
      throw new Error(`JobsModule scheduling.missedToleranceMs must be an integer from 100 to ${MAX_MISSED_TOLERANCE_MS}.`);
    }
    const refreshIntervalMs = options.scheduling?.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
    if (!Number.isInteger(refreshIntervalMs) || refreshIntervalMs < 10) {
      throw new Error('JobsModule scheduling.refreshIntervalMs must be an integer of at least 10.');
    }
    const scope = (): FiringScope => ({ declared: schedules.names(), handled: handlers.names() });
    const ticker = new ScheduleTicker(database, repository, jobs, scope, { firedBy: processor.workerId, missedToleranceMs });
    return new ScheduleOrchestrator(database, synchronizer, repository, ticker, scope, refreshIntervalMs);
  },
};

/** Everything schedules add to `JobsModule`. */
export const scheduleProviders: Provider[] = [
  ScheduleRegistry,
  ScheduleExplorer,
  ScheduleRepository,
  ScheduleSynchronizer,
  SchedulesService,
  JobsPruneHandler,
  orchestratorProvider,
];
