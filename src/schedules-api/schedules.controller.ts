import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { SchedulesService, type Job, type Schedule } from '../jobs/index.js';
import { CreateScheduleDto } from './dto/create-schedule.dto.js';
import { UpdateScheduleDto } from './dto/update-schedule.dto.js';
import { RequireApiToken } from '../auth/require-api-token.decorator.js';
import { UndeclaredInputInterceptor } from '../http/undeclared-input.interceptor.js';

/** The HTTP surface over `SchedulesService`; every rule (and every SQL statement) lives in the service. */
@Controller('schedules')
@RequireApiToken()
@UseInterceptors(UndeclaredInputInterceptor)
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** Every schedule, with its next fire time and latest runs. */
  @Get()
  async list(): Promise<{ items: Schedule[] }> {
    return { items: await this.schedules.list() };
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<Schedule> {
    return this.schedules.get(name);
  }

  /** 201 with the schedule; 409 when the name is taken. */
  @Post()
  create(@Body() body: CreateScheduleDto): Promise<Schedule> {
    return this.schedules.create(body);
  }

  @Patch(':name')
  update(@Param('name') name: string, @Body() body: UpdateScheduleDto): Promise<Schedule> {
    return this.schedules.update(name, body);
  }

  /** 204; 409 for a schedule declared in code. */
  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('name') name: string): Promise<void> {
    await this.schedules.remove(name);
  }

  /** 201 with the new job; 200 with the running one when `overlap` is `skip` and a run is pending or processing. */
  @Post(':name/trigger')
  async trigger(@Param('name') name: string, @Res({ passthrough: true }) response: Response): Promise<Job> {
    const { job, created } = await this.schedules.trigger(name);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return job;
  }
}
