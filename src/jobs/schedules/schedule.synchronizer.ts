import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { JOBS_MODULE_OPTIONS } from '../jobs.constants.js';
import type { JobsModuleOptions } from '../interfaces/jobs-module-options.interface.js';
import { JobHandlerRegistry } from '../job-handler.registry.js';
import { JobsDatabase } from '../jobs-database.js';
import { payloadLimitsOf, toNewJobRow } from '../job-input.validation.js';
import { retryWithBackoff } from '../processor/retry-with-backoff.js';
import { CronSchedule } from './cron-schedule.js';
import { ScheduleRegistry } from './schedule.registry.js';
import { ScheduleRepository } from './schedule.repository.js';

/**
 * Brings the schedules declared in code into the database at start-up, in every process (so that the API lists
 * them even before a job server runs): code owns their definition, the database their `enabled` state. Before
 * that, at bootstrap, checks that each one enqueues a registered job name with a payload its handler accepts — a
 * mistake there stops start-up naming the schedule and where it is declared.
 */
@Injectable()
export class ScheduleSynchronizer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Schedules');
  private stopped = false;
  private syncedValue = false;
  private resolveSynced!: () => void;
  /** Resolves once every code schedule is in the database (or the application stops first). */
  readonly synced: Promise<void> = new Promise((resolve) => (this.resolveSynced = resolve));

  constructor(
    @Inject(JOBS_MODULE_OPTIONS) private readonly options: JobsModuleOptions,
    private readonly schedules: ScheduleRegistry,
    private readonly handlers: JobHandlerRegistry,
    private readonly database: JobsDatabase,
    private readonly repository: ScheduleRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const { definition, source } of this.schedules.all()) {
      try {
        await toNewJobRow({ name: definition.jobName, payload: definition.payload ?? undefined }, this.handlers, payloadLimitsOf(this.options));
      } catch (error) {
        throw new Error(`Invalid schedule '${definition.name}' declared in ${source}: job ${(error as Error).message}.`);
      }
    }
    void this.database.ready.then(() => this.syncWithRetries());
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    this.resolveSynced();
  }

  /** Every code schedule is in the database (readiness: the API lists them from the first ready answer on). */
  get isSynced(): boolean {
    return this.syncedValue;
  }

  private async syncWithRetries(): Promise<void> {
    await retryWithBackoff(() => this.sync(), {
      isStopped: () => this.stopped,
      onError: (error, delayMs) => this.logger.warn(`Schedule sync failed (${(error as Error).message}); retrying in ${delayMs} ms`),
    });
    this.syncedValue = !this.stopped;
    this.resolveSynced();
  }

  private async sync(): Promise<void> {
    const declared = this.schedules.all();
    if (declared.length === 0) return;
    // Next ticks from the database clock, like every other container's.
    const now = await this.repository.databaseNow();
    const changed: string[] = [];
    for (const { definition } of declared) {
      const next = CronSchedule.parse(definition.cron, definition.timezone).nextAfter(now);
      const result = await this.repository.upsertCode(definition, next);
      if (result !== 'unchanged') changed.push(`${definition.name} (${result})`);
    }
    if (changed.length > 0) this.logger.log(`Schedules from code: ${changed.join(', ')}`);
  }
}
