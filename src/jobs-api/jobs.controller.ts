import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMON_ERRORS } from '../openapi/api-errors.decorator.js';
import { JobDto, JobPageDto, JobsBatchResultDto } from './dto/job.response.js';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { JobsService, type Job, type JobPage } from '../jobs/index.js';
import { CreateJobDto } from './dto/create-job.dto.js';
import { CreateJobsBatchDto } from './dto/create-jobs-batch.dto.js';
import { ListJobsQueryDto } from './dto/list-jobs.query.dto.js';
import { RequireApiToken } from '../auth/require-api-token.decorator.js';
import { UndeclaredInputInterceptor } from '../http/undeclared-input.interceptor.js';

/** The HTTP surface over `JobsService`; every rule (and every SQL statement) lives in the service. */
@ApiTags('jobs')
@ApiErrors(400, ...COMMON_ERRORS)
@Controller('jobs')
@RequireApiToken()
@UseInterceptors(UndeclaredInputInterceptor)
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** 201 with the new job; 200 with the existing one when its dedup key matched a live job. */
  @Post()
  @ApiOperation({ summary: 'Enqueue a job' })
  @ApiCreatedResponse({ type: JobDto, description: 'The new job' })
  @ApiOkResponse({ type: JobDto, description: 'A live job with the same dedup key exists: that job, nothing added' })
  @ApiErrors(...BODY_ERRORS)
  async create(@Body() body: CreateJobDto, @Res({ passthrough: true }) response: Response): Promise<Job> {
    const { name, payload, ...options } = body;
    const { job, created } = await this.jobs.enqueue(name, payload, options);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return job;
  }

  @Post('batch')
  @ApiOperation({ summary: 'Enqueue many jobs in one statement: all or none' })
  @ApiCreatedResponse({ type: JobsBatchResultDto })
  @ApiErrors(...BODY_ERRORS)
  async createBatch(@Body() body: CreateJobsBatchDto): Promise<{ jobs: Job[] }> {
    const results = await this.jobs.enqueueMany(body.jobs);
    return { jobs: results.map((result) => result.job) };
  }

  @Get()
  @ApiOperation({ summary: 'List jobs, newest first, a page at a time' })
  @ApiOkResponse({ type: JobPageDto })
  list(@Query() query: ListJobsQueryDto): Promise<JobPage> {
    return this.jobs.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One job' })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ type: JobDto })
  @ApiErrors(404)
  get(@Param('id') id: string): Promise<Job> {
    return this.jobs.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a pending or processing job (a running handler gets its signal aborted)' })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ type: JobDto })
  @ApiErrors(404, 409)
  cancel(@Param('id') id: string): Promise<Job> {
    return this.jobs.cancel(id);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Run a failed or cancelled job again, attempts reset' })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ type: JobDto })
  @ApiErrors(404, 409)
  retry(@Param('id') id: string): Promise<Job> {
    return this.jobs.retry(id);
  }
}
