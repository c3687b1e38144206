import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { JobProcessorService, JobsDatabase, ScheduleSynchronizer } from '../jobs/index.js';

export interface ReadinessReport {
  ready: boolean;
  checks: { database: boolean; schedules: boolean; processor: boolean | 'disabled'; shuttingDown: boolean };
}

/**
 * Ready = the database is reachable and migrated, the schedules declared in code are stored, and, where this
 * process executes jobs, the processor loop is turning. During shutdown it reports not ready so that orchestrators stop routing to the process first.
 */
@Injectable()
export class ReadinessService implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly database: JobsDatabase,
    private readonly schedules: ScheduleSynchronizer,
    // Explicit token: the union type would be emitted as `Object` in the constructor's metadata.
    @Optional() @Inject(JobProcessorService) private readonly processor: JobProcessorService | null,
  ) {}

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  report(): ReadinessReport {
    const database = this.database.isReady;
    const schedules = this.schedules.isSynced;
    const processor = this.processor ? this.processor.isAlive() : 'disabled';
    return {
      ready: database && schedules && processor !== false && !this.shuttingDown,
      checks: { database, schedules, processor, shuttingDown: this.shuttingDown },
    };
  }
}
