import { Inject, Injectable, Optional } from '@nestjs/common';
import { JOBS_MODULE_OPTIONS } from '../jobs.constants.js';
import type { JobsModuleOptions } from '../interfaces/jobs-module-options.interface.js';
import type { EnqueueResult } from '../interfaces/enqueue-options.interface.js';
import { JobsService } from '../jobs.service.js';
import { JobsDatabase } from '../jobs-database.js';
import { payloadLimitsOf } from '../job-input.validation.js';
import { JobHandlerRegistry } from '../job-handler.registry.js';
import { InvalidJobInputError, JobsNotReadyError } from '../errors/jobs.errors.js';
import { LAST_RUNS_SHOWN } from './schedules.constants.js';
import type { Schedule, ScheduleChanges, ScheduleDefinition } from './interfaces/schedule.interface.js';
import { ScheduleConflictError, ScheduleNotFoundError } from './schedule.errors.js';
import { ScheduleRegistry } from './schedule.registry.js';
import { ScheduleRepository } from './schedule.repository.js';
import { ScheduleOrchestrator } from './schedule.orchestrator.js';
import { ScheduleSynchronizer } from './schedule.synchronizer.js';
import { toSchedule } from './schedule-row.mapper.js';
import { scheduleJobKey } from './schedule-job-key.js';
import { parseCron, parseScheduleName } from './schedule-definition.validation.js';
import { mergeScheduleChanges, resolveNewSchedule, DEFINITION_FIELDS } from './schedule-input.validation.js';

/**
 * Schedules at runtime, stored in the database, in every deployment mode: what the HTTP API calls. Changes reach
 * every container without a restart (this process's evaluator at once, the others within their refresh interval).
 */
@Injectable()
export class SchedulesService {
  constructor(
    @Inject(JOBS_MODULE_OPTIONS) private readonly options: JobsModuleOptions,
    private readonly repository: ScheduleRepository,
    private readonly registry: ScheduleRegistry,
    private readonly handlers: JobHandlerRegistry,
    private readonly jobs: JobsService,
    private readonly database: JobsDatabase,
    // Explicit token: the union type would be emitted as `Object` in the constructor's metadata.
    @Optional() @Inject(ScheduleOrchestrator) private readonly orchestrator: ScheduleOrchestrator | null,
    private readonly synchronizer: ScheduleSynchronizer,
  ) {}

  /** Resolves once the database is ready and the schedules declared in code are stored in it. */
  async whenReady(): Promise<void> {
    await this.database.ready;
    await this.synchronizer.synced;
  }

  /** Every schedule by name, each with its next fire time and latest runs. */
  async list(): Promise<Schedule[]> {
    this.assertReady();
    return (await this.repository.list(null, LAST_RUNS_SHOWN)).map((row) => toSchedule(row, this.declaredIn(row.name)));
  }

  /** One schedule, or `ScheduleNotFoundError`; a name no schedule can have: `InvalidJobInputError`. */
  async get(name: string): Promise<Schedule> {
    parseScheduleName(name);
    this.assertReady();
    const [row] = await this.repository.list(name, LAST_RUNS_SHOWN);
    if (!row) throw new ScheduleNotFoundError(name);
    return toSchedule(row, this.declaredIn(name));
  }

  /**
   * Creates a schedule (`source: 'api'`); its first tick is the first after now. Invalid cron, time zone, job name
   * or payload: `InvalidJobInputError` naming the field; a taken name: `ScheduleConflictError`.
   */
  async create(input: ScheduleDefinition & { enabled?: boolean }): Promise<Schedule> {
    const schedule = await resolveNewSchedule(input, this.handlers, payloadLimitsOf(this.options));
    this.assertReady();
    const now = await this.repository.databaseNow();
    const enabled = input.enabled ?? true;
    const nextFireAt = enabled ? parseCron(schedule.cron, schedule.timezone).nextAfter(now) : null;
    if (!(await this.repository.insert({ ...schedule, enabled, nextFireAt }))) {
      throw new ScheduleConflictError(`Schedule '${schedule.name}' already exists`);
    }
    this.orchestrator?.wake();
    return this.get(schedule.name);
  }

  /**
   * Changes a schedule. `{ enabled: false }` pauses it, `{ enabled: true }` resumes it from the next tick after now
   * (ticks while paused are not missed ones). A new cron or time zone takes effect from the next tick after now.
   * Schedules declared in code only take `enabled`: `ScheduleConflictError` for anything else.
   */
  async update(name: string, changes: ScheduleChanges): Promise<Schedule> {
    parseScheduleName(name);
    const given = Object.keys(changes).filter((key) => changes[key as keyof ScheduleChanges] !== undefined);
    if (given.length === 0) throw new InvalidJobInputError('body', `give at least one of ${[...DEFINITION_FIELDS, 'enabled'].join(', ')}`);
    this.assertReady();
    await this.database.dataSource.transaction(async (manager) => {
      const row = await this.repository.lock(manager, name);
      if (!row) throw new ScheduleNotFoundError(name);
      const codeOwned = given.filter((key) => key !== 'enabled');
      if (row.source === 'code' && codeOwned.length > 0) {
        throw new ScheduleConflictError(
          `Schedule '${name}' is declared in code${this.declaredIn(name) ? ` (${this.declaredIn(name)})` : ''}: ` +
            `its ${codeOwned.join(', ')} come from code; only enabled can change over HTTP`,
        );
      }
      const merged = await mergeScheduleChanges(row, changes, this.handlers, payloadLimitsOf(this.options));
      const timingChanged = merged.cron !== row.cron || merged.timezone !== row.timezone;
      const nextFireAt = !merged.enabled
        ? null
        : !row.enabled || timingChanged || row.next_fire_at === null
          ? parseCron(merged.cron, merged.timezone).nextAfter(row.db_now)
          : row.next_fire_at;
      await this.repository.update(manager, { ...merged, nextFireAt });
    });
    this.orchestrator?.wake();
    return this.get(name);
  }

  /** Deletes a schedule created over HTTP (its jobs stay). Declared in this process's code: `ScheduleConflictError`. */
  async remove(name: string): Promise<void> {
    parseScheduleName(name);
    this.assertReady();
    const declared = this.declaredIn(name);
    if (declared) {
      throw new ScheduleConflictError(
        `Schedule '${name}' is declared in code (${declared}); remove it there, or pause it with { "enabled": false }`,
      );
    }
    if (!(await this.repository.delete(name))) throw new ScheduleNotFoundError(name);
  }

  /**
   * Enqueues the schedule's job now, whether or not it is paused, and records it among its runs. With
   * `overlap: 'skip'`, while a run is pending or processing that job is returned instead (`created: false`).
   */
  async trigger(name: string): Promise<EnqueueResult> {
    parseScheduleName(name);
    this.assertReady();
    return this.database.dataSource.transaction(async (manager) => {
      const row = await this.repository.share(manager, name);
      if (!row) throw new ScheduleNotFoundError(name);
      const result = await this.jobs.enqueue(row.job_name, row.payload ?? undefined, {
        manager,
        key: scheduleJobKey(name, row.overlap, null),
      });
      if (result.created) await this.repository.insertTriggerFire(manager, name, result.job.id);
      return result;
    });
  }

  private declaredIn(name: string): string | null {
    return this.registry.get(name)?.source ?? null;
  }

  private assertReady(): void {
    if (!this.database.isReady) throw new JobsNotReadyError();
  }
}
