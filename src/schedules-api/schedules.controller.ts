import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMON_ERRORS } from '../openapi/api-errors.decorator.js';
import { JobDto } from '../jobs-api/dto/job.response.js';
import { ScheduleDto, ScheduleListDto } from './dto/schedule.response.js';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { SchedulesService, type Job, type Schedule } from '../jobs/index.js';
import { CreateScheduleDto } from './dto/create-schedule.dto.js';
import { UpdateScheduleDto } from './dto/update-schedule.dto.js';
import { RequireApiToken } from '../auth/require-api-token.decorator.js';
import { UndeclaredInputInterceptor } from '../http/undeclared-input.interceptor.js';

/** The HTTP surface over `SchedulesService`; every rule (and every SQL statement) lives in the service. */
@ApiTags('schedules')
@ApiErrors(400, ...COMMON_ERRORS)
@Controller('schedules')
@RequireApiToken()
@UseInterceptors(UndeclaredInputInterceptor)
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** Every schedule, with its next fire time and latest runs. */
  @Get()
  @ApiOperation({ summary: 'Every schedule, with its next fire time and latest runs' })
  @ApiOkResponse({ type: ScheduleListDto })
  async list(): Promise<{ items: Schedule[] }> {
    return { items: await this.schedules.list() };
  }

  @Get(':name')
  @ApiOperation({ summary: 'One schedule' })
  @ApiParam({ name: 'name', example: 'reports.nightly' })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(404)
  get(@Param('name') name: string): Promise<Schedule> {
    return this.schedules.get(name);
  }

  /** 201 with the schedule; 409 when the name is taken. */
  @Post()
  @ApiOperation({ summary: 'Create a schedule' })
  @ApiCreatedResponse({ type: ScheduleDto })
  @ApiErrors(...BODY_ERRORS, 409)
  create(@Body() body: CreateScheduleDto): Promise<Schedule> {
    return this.schedules.create(body);
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Change a schedule; `{ "enabled": false }` pauses it. Schedules declared in code take only `enabled`' })
  @ApiParam({ name: 'name', example: 'reports.nightly' })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  update(@Param('name') name: string, @Body() body: UpdateScheduleDto): Promise<Schedule> {
    return this.schedules.update(name, body);
  }

  /** 204; 409 for a schedule declared in code. */
  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a schedule created over HTTP (409 for one declared in code)' })
  @ApiParam({ name: 'name', example: 'reports.nightly' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404, 409)
  async remove(@Param('name') name: string): Promise<void> {
    await this.schedules.remove(name);
  }

  /** 201 with the new job; 200 with the running one when `overlap` is `skip` and a run is pending or processing. */
  @Post(':name/trigger')
  @ApiOperation({ summary: "Enqueue the schedule's job now, paused or not" })
  @ApiParam({ name: 'name', example: 'reports.nightly' })
  @ApiCreatedResponse({ type: JobDto, description: 'The new job' })
  @ApiOkResponse({ type: JobDto, description: 'With `overlap: skip`, the run still pending or processing' })
  @ApiErrors(404, 413)
  async trigger(@Param('name') name: string, @Res({ passthrough: true }) response: Response): Promise<Job> {
    const { job, created } = await this.schedules.trigger(name);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return job;
  }
}
