import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { JobsController } from './jobs.controller.js';
import { JobsErrorsFilter } from './jobs-errors.filter.js';

/** The jobs HTTP API. Imported only where application routes run, never by job-only servers. */
@Module({
  controllers: [JobsController],
  providers: [{ provide: APP_FILTER, useClass: JobsErrorsFilter }],
})
export class JobsApiModule {}
