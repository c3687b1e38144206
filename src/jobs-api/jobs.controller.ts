import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { JobsService, type Job, type JobPage } from '../jobs/index.js';
import { CreateJobDto } from './dto/create-job.dto.js';
import { CreateJobsBatchDto } from './dto/create-jobs-batch.dto.js';
import { ListJobsQueryDto } from './dto/list-jobs.query.dto.js';
import { RequireApiToken } from '../auth/require-api-token.decorator.js';
import { UndeclaredInputInterceptor } from '../http/undeclared-input.interceptor.js';

/** The HTTP surface over `JobsService`; every rule (and every SQL statement) lives in the service. */
@Controller('jobs')
@RequireApiToken()
@UseInterceptors(UndeclaredInputInterceptor)
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** 201 with the new job; 200 with the existing one when its dedup key matched a live job. */
  @Post()
  async create(@Body() body: CreateJobDto, @Res({ passthrough: true }) response: Response): Promise<Job> {
    const { name, payload, ...options } = body;
    const { job, created } = await this.jobs.enqueue(name, payload, options);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return job;
  }

  @Post('batch')
  async createBatch(@Body() body: CreateJobsBatchDto): Promise<{ jobs: Job[] }> {
    const results = await this.jobs.enqueueMany(body.jobs);
    return { jobs: results.map((result) => result.job) };
  }

  @Get()
  list(@Query() query: ListJobsQueryDto): Promise<JobPage> {
    return this.jobs.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Job> {
    return this.jobs.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  cancel(@Param('id') id: string): Promise<Job> {
    return this.jobs.cancel(id);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  retry(@Param('id') id: string): Promise<Job> {
    return this.jobs.retry(id);
  }
}
