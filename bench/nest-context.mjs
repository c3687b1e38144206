// The Nest side of the benchmark adapter: an application context holding the JobsModule exactly as a user wires it
// (their own DataSource, the public module options, a provider with a @JobHandler method), built from dist/.
// Plain JS with decorators applied as functions, so it runs on the build with plain Node (the harness's Node 22).
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { JobHandler, JobsModule } from '../dist/jobs/index.js';

export const JOB_NAME = 'bench.noop';

/** The application's DataSource as a user would build it (TypeORM, pg pool of `poolSize`). */
export async function connectDataSource(connectionString, poolSize = 10) {
  const dataSource = new DataSource({ type: 'postgres', url: connectionString, poolSize, applicationName: 'bench-nest', entities: [] });
  return dataSource.initialize();
}

/** A provider whose `@JobHandler('bench.noop')` method hands every payload to `handle` (the harness's handler). */
function handlerModule(handle) {
  class BenchHandlers {
    async run(payload) {
      await handle(payload);
    }
  }
  Injectable()(BenchHandlers);
  JobHandler(JOB_NAME)(BenchHandlers.prototype, 'run', Object.getOwnPropertyDescriptor(BenchHandlers.prototype, 'run'));
  class BenchHandlersModule {}
  Module({ providers: [BenchHandlers] })(BenchHandlersModule);
  return BenchHandlersModule;
}

/**
 * A Nest application context with the JobsModule. `dataSource` is the user's factory form (`() => Promise`): the
 * module becomes ready (and a processor starts claiming) once it resolves. `processing` as in the module options.
 * Retention is off so that the built-in prune schedule adds no job to a measurement.
 */
export async function createJobsContext({ dataSource, processing, migrationsRun = true, handle = async () => undefined }) {
  class BenchAppModule {}
  Module({
    imports: [
      JobsModule.forRootAsync({
        useFactory: () => ({
          dataSource,
          migrationsRun,
          processing,
          retention: { completedDays: 0, failedDays: 0 },
        }),
      }),
      handlerModule(handle),
    ],
  })(BenchAppModule);
  return NestFactory.createApplicationContext(BenchAppModule, { logger: ['fatal', 'error', 'warn'] });
}
