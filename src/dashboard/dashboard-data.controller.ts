import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobHandlerRegistry, JobStatsService } from '../jobs/index.js';
import { RequireApiToken } from '../auth/require-api-token.decorator.js';
import { ApiErrors, COMMON_ERRORS } from '../openapi/api-errors.decorator.js';
import { UndeclaredInputInterceptor } from '../http/undeclared-input.interceptor.js';
import { DashboardOverviewDto, JobTypesDto } from './dto/dashboard-overview.dto.js';

/** The queue of a handler that names none (the `@JobHandler` default). */
const DEFAULT_QUEUE = 'default';
/** The throughput chart's span. */
const THROUGHPUT_MINUTES = 60;

/**
 * What the dashboard needs beyond the jobs and schedules APIs (which it calls directly for lists, jobs and
 * actions): the figures of its overview and the job names it can offer. Behind JOBS_API_TOKEN like those APIs.
 */
@ApiTags('dashboard')
@ApiErrors(400, ...COMMON_ERRORS)
@Controller('dashboard/api')
@RequireApiToken()
@UseInterceptors(UndeclaredInputInterceptor)
export class DashboardDataController {
  constructor(
    private readonly stats: JobStatsService,
    private readonly registry: JobHandlerRegistry,
  ) {}

  /** Cluster-wide job counts (at most a few seconds old) and the last hour's completed and failed per minute. */
  @Get('overview')
  @ApiOperation({ summary: 'Job counts by queue and status, and throughput per minute over the last hour' })
  @ApiOkResponse({ type: DashboardOverviewDto, description: 'Counts (a shared snapshot at most a few seconds old) and throughput' })
  async overview(): Promise<DashboardOverviewDto> {
    const [counts, throughput] = await Promise.all([this.stats.counts(), this.stats.throughput(THROUGHPUT_MINUTES)]);
    return { counts, throughput };
  }

  /** The job names this process has handlers for, sorted, for the enqueue form and the filters. */
  @Get('job-types')
  @ApiOperation({ summary: 'Job names with a handler in this application, and their default queue' })
  @ApiOkResponse({ type: JobTypesDto, description: 'Job names and queues, sorted by name' })
  jobTypes(): JobTypesDto {
    const items = this.registry
      .names()
      .sort()
      .map((name) => ({ name, queue: this.registry.get(name)?.options.queue ?? DEFAULT_QUEUE }));
    return { items };
  }
}
