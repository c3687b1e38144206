import 'reflect-metadata';
import { Module, type INestApplicationContext, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { JobProcessorService, JobsModule, JobsService, type JobProcessingOptions } from '../../src/jobs/index.js';
import { buildDataSourceOptions } from '../../src/database/data-source.options.js';
import { waitFor } from './wait-for.js';

export interface JobsTestApp {
  app: INestApplicationContext;
  jobs: JobsService;
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
}

/**
 * The reusable `JobsModule` inside a plain Nest application context, the way a host application wires it: its own
 * TypeORM DataSource, handler providers, processing on or off. Resolves once migrated and (when processing) claiming.
 */
export async function startJobsTestApp(options: JobsTestAppOptions): Promise<JobsTestApp> {
  const dataSource = new DataSource(buildDataSourceOptions(options.url, 10));
  await dataSource.initialize();

  @Module({
    imports: [
      JobsModule.forRootAsync({
        useFactory: () => ({
          dataSource,
          schema: options.schema,
          maxPayloadBytes: options.maxPayloadBytes,
          processing: options.processing
            ? { enabled: true, pollIntervalMs: 200, sweepIntervalMs: 500, ...options.processing }
            : undefined,
        }),
      }),
    ],
    providers: options.handlers,
  })
  class TestRootModule {}

  const app = await NestFactory.createApplicationContext(TestRootModule, { logger: ['error'] });
  app.enableShutdownHooks();
  await app.init();
  const jobs = app.get(JobsService);
  await jobs.whenReady();
  const processor = app.get(JobProcessorService, { strict: false });
  if (processor) await waitFor('the processor loop to start', () => processor.isAlive(), { timeoutMs: 10_000 });
  return {
    app,
    jobs,
    processor,
    dataSource,
    close: async () => {
      await app.close();
      await dataSource.destroy();
    },
  };
}
