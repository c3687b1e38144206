import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ReadinessIndicators } from './readiness.indicators.js';

/**
 * Probes for orchestrators, on @nestjs/terminus: served in every mode (job servers too), never behind a token and
 * never rate-limited. Bodies are terminus's `{ status, info, error, details }`.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
  ) {}

  /**
   * 200 while the process runs (liveness), also while it drains at shutdown: no check runs, so neither a slow
   * database nor a long drain gets a process restarted. Not through `HealthCheckService`, which answers 503 from
   * the start of shutdown.
   */
  @Get('live')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs, shutdown included' })
  @ApiOkResponse({ description: 'The process runs', schema: { example: { status: 'ok', info: {}, error: {}, details: {} } } })
  live(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /** 200 when ready to work (database migrated, schedules stored, processor loop alive where enabled); 503 otherwise. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 200 when ready to work, 503 with the failing checks otherwise' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.readiness.checks());
  }
}
