import type { DataSource } from 'typeorm';
import type { ScheduleDefinition } from '../schedules/interfaces/schedule.interface.js';

/** What `JobsModule.forRootAsync`'s factory returns. */
export interface JobsModuleOptions {
  /**
   * The application's TypeORM DataSource, or a function resolving to it once connected (so that the HTTP server can
   * listen while the database is still coming up). Jobs SQL runs on its `pg` pool.
   */
  dataSource: DataSource | (() => Promise<DataSource>);
  /** Postgres schema of the jobs tables. Default `jobs`. */
  schema?: string;
  /** Run the jobs migrations at start-up (under an advisory lock). Default true. */
  migrationsRun?: boolean;
  /** Largest payload accepted at enqueue, in bytes of JSON. Default 1 MB. */
  maxPayloadBytes?: number;
  /** Deepest nesting of a payload accepted at enqueue (`{}` and `[]` count one level each). Default 32. */
  maxPayloadDepth?: number;
  /** Most jobs in one `enqueueMany`. Default 10000. */
  maxBatchSize?: number;
  /** Largest `limit` of one `list` page. Default 500. */
  maxPageSize?: number;
  /** Processing in this process; omitted or `enabled: false`: no `JobProcessorService` exists. */
  processing?: JobProcessingOptions;
  /**
   * Schedules declared in configuration, beside `@Scheduled` methods: each enqueues an existing handler's job with a
   * fixed payload on every tick. Owned by code like `@Scheduled` ones. Default none.
   */
  schedules?: ScheduleDefinition[];
  /** How processing containers evaluate schedules (ignored where processing is disabled). */
  scheduling?: JobSchedulingOptions;
  /** Pruning of finished jobs by the built-in `jobs.prune` schedule. */
  retention?: JobRetentionOptions;
}

export interface JobSchedulingOptions {
  /** How often to look for schedules created or changed by other containers, in ms. Default 1000. */
  refreshIntervalMs?: number;
  /**
   * A tick decided at most this long after its time fires as usual (late, not missed); older undecided ticks were
   * missed while no container ran and follow the schedule's `missed` policy. In ms, 100 to 300000. Default 30000.
   */
  missedToleranceMs?: number;
}

export interface JobRetentionOptions {
  /** Completed jobs are deleted this many days after they finished; 0 keeps them. Default 7. */
  completedDays?: number;
  /** Failed and cancelled jobs are deleted this many days after they finished; 0 keeps them. Default 30. */
  failedDays?: number;
  /** When the `jobs.prune` schedule runs (UTC). Default `'5 * * * *'` (hourly, at minute 5). */
  cron?: string;
  /** Rows deleted per statement. Default 1000. */
  batchSize?: number;
}

export interface JobProcessingOptions {
  enabled: boolean;
  /** Handlers at once. Default 10. */
  concurrency?: number;
  /** Queues to claim from. Default all. */
  queues?: string[];
  /** Default 30000. */
  leaseMs?: number;
  /** Default 5000. */
  sweepIntervalMs?: number;
  /** Default 1000. */
  pollIntervalMs?: number;
  /** Default 25000. */
  shutdownGraceMs?: number;
  /**
   * A watchdog thread kills this process when a handler still runs at 90% of a lease that could not be renewed (it
   * blocks the event loop, or ignores its abort signal while the database is unreachable), so that its job never
   * runs twice at once. Turn it off only to pause the process in a debugger. Default true.
   */
  leaseWatchdog?: boolean;
}

export interface JobsModuleAsyncOptions {
  imports?: any[];
  inject?: any[];
  useFactory: (...args: any[]) => JobsModuleOptions | Promise<JobsModuleOptions>;
  /** Make JobsService available everywhere without importing JobsModule. Default true. */
  isGlobal?: boolean;
}
