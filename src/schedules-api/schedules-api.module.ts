import { Module } from '@nestjs/common';
import { SchedulesController } from './schedules.controller.js';

/**
 * The schedules HTTP API. Imported only where application routes run, beside `JobsApiModule`, whose global
 * `JobsErrorsFilter` maps the schedule errors (404, 409, 400 naming the field) too.
 */
@Module({
  controllers: [SchedulesController],
})
export class SchedulesApiModule {}
