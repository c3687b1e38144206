import type { DataSource } from 'typeorm';

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
  /** Processing in this process; omitted or `enabled: false`: no `JobProcessorService` exists. */
  processing?: JobProcessingOptions;
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
}

export interface JobsModuleAsyncOptions {
  imports?: any[];
  inject?: any[];
  useFactory: (...args: any[]) => JobsModuleOptions | Promise<JobsModuleOptions>;
  /** Make JobsService available everywhere without importing JobsModule. Default true. */
  isGlobal?: boolean;
}
