import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ReadinessService, type ReadinessReport } from './readiness.service.js';

/** Probes for orchestrators; served in every mode, never behind a token. */
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** 200 while the process runs. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when ready to work (database migrated, processor loop alive where enabled); 503 otherwise. */
  @Get()
  ready(@Res({ passthrough: true }) response: Response): ReadinessReport & { status: string } {
    const report = this.readiness.report();
    response.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: report.ready ? 'ok' : 'unavailable', ...report };
  }
}
