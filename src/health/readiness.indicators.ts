import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { JobProcessorService, JobsDatabase, ScheduleSynchronizer } from '../jobs/index.js';

/**
 * The readiness checks, one terminus indicator each: `database` (reachable and migrated), `schedules` (the schedules
 * declared in code are stored), `processor` (the claim loop turns; only where this process executes jobs) and
 * `process` (down from the start of shutdown, so that orchestrators stop routing here before the server closes).
 * Each reads a flag its component keeps: a probe never queries the database itself, so probes cost nothing and a
 * slow database cannot make them time out.
 */
@Injectable()
export class ReadinessIndicators implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: JobsDatabase,
    private readonly schedules: ScheduleSynchronizer,
    // Explicit token: the union type would be emitted as `Object` in the constructor's metadata.
    @Optional() @Inject(JobProcessorService) private readonly processor: JobProcessorService | null,
  ) {}

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  /** The checks that apply to this process: `processor` only where processing is enabled. */
  checks(): Array<() => HealthIndicatorResult> {
    return [
      () => this.flag('database', this.database.isReady, 'not reachable or not migrated yet'),
      () => this.flag('schedules', this.schedules.isSynced, 'the schedules declared in code are not stored yet'),
      ...(this.processor ? [() => this.flag('processor', this.processor!.isAlive(), 'the claim loop has not turned recently')] : []),
      () => this.flag('process', !this.shuttingDown, 'shutting down'),
    ];
  }

  private flag(key: string, up: boolean, whyDown: string): HealthIndicatorResult {
    const check = this.indicators.check(key);
    return up ? check.up() : check.down({ message: whyDown });
  }
}
