import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { ReadinessIndicators } from './readiness.indicators.js';

/** Liveness (`/health/live`) and readiness (`/health`), in every deployment mode. */
@Module({
  // No terminus error log: probes poll every few seconds while a process starts or stops, and the 503 body already
  // names the failing check; the components log their own failures once.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessIndicators],
})
export class HealthModule {}
