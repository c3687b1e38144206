import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { MetricsTokenGuard } from '../auth/metrics-token.guard.js';
import { MetricsService } from './metrics.service.js';

/**
 * `GET /metrics` for Prometheus, in every deployment mode. Behind METRICS_TOKEN when it is set (never behind
 * JOBS_API_TOKEN), and outside the rate limit: a scraper must not be refused for the API's traffic.
 */
@ApiTags('metrics')
@ApiBearerAuth('metrics')
@SkipThrottle()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** This process's metrics and, from one process of the cluster, the cluster-wide job counts. */
  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Metrics of this process in the Prometheus text format (counters, histograms, pool and processor gauges), plus ' +
      'the cluster-wide jobs_cluster_* gauges from the one process that exports them. Requires `Authorization: Bearer ' +
      '<METRICS_TOKEN>` when METRICS_TOKEN is set.',
  })
  @ApiProduces('text/plain')
  @ApiResponse({
    status: 200,
    description: 'The Prometheus text exposition format, version 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 401, description: 'METRICS_TOKEN is set and the request has no valid `Authorization: Bearer` token' })
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    const body = await this.metrics.exposition();
    response.setHeader('Content-Type', this.metrics.contentType);
    return body;
  }
}
