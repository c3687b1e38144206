export { JobsModule } from './jobs.module.js';
export { JobsService, type ListJobsOptions, type JobPage } from './jobs.service.js';
export { JobStatsService, DEFAULT_COUNTS_MAX_AGE_MS } from './stats/job-stats.service.js';
export type { JobCount, JobCounts, ThroughputMinute } from './stats/job-stats.interface.js';
export { JobProcessorService } from './job-processor.service.js';
export { JobEvents, type JobEventListener, type JobEventSubject, type JobAttemptOutcome } from './events/job-events.js';
export { currentJobLogFields, withJobLogContext, type JobLogFields } from './processor/job-log-context.js';
export { JobHandler } from './decorators/job-handler.decorator.js';
export { JobHandlerRegistry } from './job-handler.registry.js';
export { JobsDatabase } from './jobs-database.js';
export { migrateJobsSchema } from './jobs-schema.migrator.js';
export { JOB_NAME_PATTERN } from './jobs.constants.js';
export * from './errors/jobs.errors.js';
export type { Job, JobAttemptError } from './interfaces/job.interface.js';
export { JOB_STATUSES, type JobStatus } from './interfaces/job-status.js';
export type { JobContext } from './interfaces/job-context.interface.js';
export type { JobHandlerOptions } from './interfaces/job-handler-options.interface.js';
export type { EnqueueOptions, EnqueueRequest, EnqueueResult } from './interfaces/enqueue-options.interface.js';
export type {
  JobsModuleOptions,
  JobsModuleAsyncOptions,
  JobProcessingOptions,
  JobSchedulingOptions,
  JobRetentionOptions,
} from './interfaces/jobs-module-options.interface.js';
export { Scheduled } from './schedules/decorators/scheduled.decorator.js';
export { SchedulesService } from './schedules/schedules.service.js';
export { ScheduleOrchestrator } from './schedules/schedule.orchestrator.js';
export { ScheduleSynchronizer } from './schedules/schedule.synchronizer.js';
export { ScheduleNotFoundError, ScheduleConflictError } from './schedules/schedule.errors.js';
export { MISSED_POLICIES, OVERLAP_POLICIES } from './schedules/schedules.constants.js';
export type { ScheduledOptions } from './schedules/interfaces/scheduled-options.interface.js';
export type {
  Schedule,
  ScheduleChanges,
  ScheduleDefinition,
  ScheduleRun,
  ScheduleRunOutcome,
  MissedPolicy,
  OverlapPolicy,
} from './schedules/interfaces/schedule.interface.js';
export { PRUNE_JOB_NAME } from './maintenance/job-retention.js';
export type { PruneResult } from './maintenance/jobs-prune.handler.js';
