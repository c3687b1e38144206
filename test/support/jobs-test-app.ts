import 'reflect-metadata';
import { Module, type INestApplicationContext, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import {
  JobProcessorService,
  JobsModule,
  JobsService,
  SchedulesService,
  type JobProcessingOptions,
  type JobRetentionOptions,
  type JobSchedulingOptions,
  type JobsModuleOptions,
  type ScheduleDefinition,
} from '../../src/jobs/index.js';
import { buildDataSourceOptions } from '../../src/database/data-source.options.js';
import { waitFor } from './wait-for.js';

export interface JobsTestApp {
  app: INestApplicationContext;
  jobs: JobsService;
  schedules: SchedulesService;
  processor: JobProcessorService | null;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface JobsTestAppOptions {
  url: string;
  /** Providers holding `@JobHandler` methods. */
  handlers: Provider[];
  /** Omit for a process that executes nothing (as with JOBS_SERVER_DISABLED). */
  processing?: Partial<JobProcessingOptions>;
  schema?: string;
  maxPayloadBytes?: number;
  /** The other enqueue and list limits (default: the module's). */
  limits?: Pick<JobsModuleOptions, 'maxPayloadDepth' | 'maxBatchSize' | 'maxPageSize'>;
  /** Schedules declared through the module option. */
  schedules?: ScheduleDefinition[];
  scheduling?: JobSchedulingOptions;
  /** Default: pruning off (both retentions 0), so that no `jobs.prune` job appears in a test that did not ask. */
  retention?: JobRetentionOptions;
}

/**
 * The reusable `JobsModule` inside a plain Nest application context, the way a host application wires it: its own
 * TypeORM DataSource, handler providers, processing on or off. Resolves once migrated, the code schedules stored
 * and (when processing) claiming.
 */
export async function startJobsTestApp(options: JobsTestAppOptions): Promise<JobsTestApp> {
  const dataSource = new DataSource(buildDataSourceOptions(options.url, 10));
  await dataSource.initialize();
  // The module gets the DataSource once start-up succeeded (as the app's own one arrives once connected): a start-up
  // error then leaves no migration or connection behind on a database the caller is about to drop.
  let started!: () => void;
  const startedGate = new Promise<void>((resolve) => (started = resolve));

  @Module({
    imports: [
      JobsModule.forRootAsync({
        useFactory: () => ({
          dataSource: () => startedGate.then(() => dataSource),
          schema: options.schema,
          maxPayloadBytes: options.maxPayloadBytes,
          ...options.limits,
          schedules: options.schedules,
          scheduling: options.scheduling,
          retention: options.retention ?? { completedDays: 0, failedDays: 0 },
          processing: options.processing
            ? { enabled: true, pollIntervalMs: 200, sweepIntervalMs: 500, ...options.processing }
            : undefined,
        }),
      }),
    ],
    providers: options.handlers,
  })
  class TestRootModule {}

  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(TestRootModule, { logger: ['error'], abortOnError: false });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  app.enableShutdownHooks();
  started();
  const jobs = app.get(JobsService);
  await jobs.whenReady();
  const schedules = app.get(SchedulesService);
  await schedules.whenReady();
  const processor = app.get(JobProcessorService, { strict: false });
  if (processor) await waitFor('the processor loop to start', () => processor.isAlive(), { timeoutMs: 10_000 });
  return {
    app,
    jobs,
    schedules,
    processor,
    dataSource,
    close: async () => {
      await app.close();
      await dataSource.destroy();
    },
  };
}
