import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { JobsDatabase } from '../jobs-database.js';
import type { JobsService } from '../jobs.service.js';
import { InvalidJobInputError, PayloadTooLargeError } from '../errors/jobs.errors.js';
import { CronSchedule } from './cron-schedule.js';
import { planTicks } from './tick-plan.js';
import { scheduleJobKey } from './schedule-job-key.js';
import type { DueScheduleRow, FiringScope, ScheduleRepository } from './schedule.repository.js';

/** At most this many schedules are decided per call; the orchestrator calls again at once when more are due. */
const MAX_SCHEDULES_PER_ROUND = 100;

/**
 * Decides due ticks: one transaction per due schedule takes its row (skipping rows another container is deciding),
 * computes its ticks from the expression and the database clock, and for each tick inserts the unique fire row and
 * — only when that insert won — the tick's job, then moves the schedule to its next tick. Any number of containers
 * may run this at once: each tick becomes at most one job, and a tick is only decided once its fire row commits.
 */
export class ScheduleTicker {
  private readonly logger = new Logger('Schedules');

  constructor(
    private readonly database: JobsDatabase,
    private readonly repository: ScheduleRepository,
    private readonly jobs: JobsService,
    private readonly scope: () => FiringScope,
    private readonly options: { firedBy: string; missedToleranceMs: number },
  ) {}

  /** Decides every due schedule (up to a bound); returns how many were decided. */
  async fireDue(): Promise<number> {
    let decided = 0;
    while (decided < MAX_SCHEDULES_PER_ROUND && (await this.fireOne())) decided += 1;
    return decided;
  }

  private fireOne(): Promise<boolean> {
    return this.database.dataSource.transaction(async (manager) => {
      const row = await this.repository.claimDue(manager, this.scope());
      if (!row) return false;
      let cron: CronSchedule;
      try {
        cron = CronSchedule.parse(row.cron, row.timezone);
      } catch (error) {
        // Only a hand-edited row gets here (every write path validates): stop evaluating it rather than spin.
        this.logger.error(`Schedule '${row.name}' cannot be evaluated and stops firing: ${(error as Error).message}`);
        await this.repository.advance(manager, row.name, null, null);
        return true;
      }
      const plan = planTicks(cron, row.next_fire_at, row.db_now, this.options.missedToleranceMs);
      let last: Date | null = null;
      if (plan.missed) {
        const { first, last: latest } = plan.missed;
        if (row.missed === 'runOnce') await this.fireTick(manager, row, latest, first);
        else await this.recordMissed(manager, row, first, latest);
        last = latest;
      }
      for (const tick of plan.due) {
        await this.fireTick(manager, row, tick, null);
        last = tick;
      }
      await this.repository.advance(manager, row.name, plan.next, last);
      return true;
    });
  }

  /** One tick (or, with `missedFrom`, the one run standing for the missed ticks up to it). */
  private async fireTick(manager: EntityManager, row: DueScheduleRow, fireTime: Date, missedFrom: Date | null): Promise<void> {
    const won = await this.repository.insertFire(manager, {
      name: row.name,
      fireTime,
      outcome: 'enqueued',
      missedFrom,
      firedBy: this.options.firedBy,
    });
    if (!won) return; // decided before (only possible after a clock or definition change): never a second job
    try {
      const { job, created } = await this.jobs.enqueue(row.job_name, row.payload ?? undefined, {
        manager,
        runAt: fireTime,
        key: scheduleJobKey(row.name, row.overlap, fireTime),
      });
      if (created) {
        await this.repository.recordFireOutcome(manager, row.name, fireTime, 'enqueued', job.id, null);
      } else {
        const detail = `job ${job.id} is still ${job.status}`;
        await this.repository.recordFireOutcome(manager, row.name, fireTime, 'skipped_overlap', null, detail);
      }
    } catch (error) {
      // The stored payload no longer fits the handler (its DTO changed): record it and move on, never retry forever.
      if (!(error instanceof InvalidJobInputError || error instanceof PayloadTooLargeError)) throw error;
      this.logger.error(`Schedule '${row.name}' tick ${fireTime.toISOString()}: job refused: ${error.message}`);
      await this.repository.recordFireOutcome(manager, row.name, fireTime, 'failed', null, error.message);
    }
  }

  private async recordMissed(manager: EntityManager, row: DueScheduleRow, first: Date, last: Date): Promise<void> {
    await this.repository.insertFire(manager, {
      name: row.name,
      fireTime: last,
      outcome: 'skipped_missed',
      missedFrom: first,
      firedBy: this.options.firedBy,
    });
    this.logger.warn(
      `Schedule '${row.name}' missed its ticks from ${first.toISOString()} to ${last.toISOString()} (no container ran); ` +
        "skipped (missed: 'skip')",
    );
  }
}
