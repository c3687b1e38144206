import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JOBS_MODULE_OPTIONS } from '../jobs.constants.js';
import type { JobsModuleOptions } from '../interfaces/jobs-module-options.interface.js';
import type { JobContext } from '../interfaces/job-context.interface.js';
import { JobHandler } from '../decorators/job-handler.decorator.js';
import { JobsDatabase } from '../jobs-database.js';
import { pruneFinishedJobsStatement } from '../sql/prune-finished-jobs.sql.js';
import type { Statement } from '../sql/statement.js';
import { ScheduleRegistry } from '../schedules/schedule.registry.js';
import { ScheduleRepository } from '../schedules/schedule.repository.js';
import { PRUNE_JOB_NAME, fireRetentionDays, resolveRetention, type ResolvedRetention } from './job-retention.js';

/** What one prune run deleted; stored as the `jobs.prune` job's result. */
export interface PruneResult {
  completed: number;
  failed: number;
  fires: number;
  /** Statements run; each deletes at most `batchSize` rows. */
  batches: number;
}

/**
 * Built-in maintenance as a schedule: the `jobs.prune` job, enqueued by the `jobs.prune` schedule (missed ticks run
 * once, never two at a time), deletes finished jobs older than their retention — completed ones after
 * `completedDays`, failed and cancelled ones after `failedDays` — and old fire rows, in batches of `batchSize` so
 * that no statement holds many locks or runs for long. Pending and processing jobs are never touched.
 */
@Injectable()
export class JobsPruneHandler implements OnModuleInit {
  private readonly retention: ResolvedRetention;
  private readonly statement: Statement;

  constructor(
    @Inject(JOBS_MODULE_OPTIONS) options: JobsModuleOptions,
    private readonly database: JobsDatabase,
    private readonly schedules: ScheduleRegistry,
    private readonly fires: ScheduleRepository,
  ) {
    this.retention = resolveRetention(options.retention);
    this.statement = pruneFinishedJobsStatement(database.schema, database.table);
  }

  onModuleInit(): void {
    if (this.retention.completedDays === 0 && this.retention.failedDays === 0) return;
    this.schedules.register(
      { name: PRUNE_JOB_NAME, cron: this.retention.cron, jobName: PRUNE_JOB_NAME, missed: 'runOnce', overlap: 'skip' },
      'JobsModule (built-in retention)',
    );
  }

  @JobHandler(PRUNE_JOB_NAME, { maxAttempts: 3 })
  async prune(_payload: unknown, context: JobContext): Promise<PruneResult> {
    const { completedDays, failedDays, batchSize } = this.retention;
    const result: PruneResult = { completed: 0, failed: 0, fires: 0, batches: 0 };
    const inBatches = async (deleteBatch: () => Promise<number>): Promise<number> => {
      let total = 0;
      for (;;) {
        context.signal.throwIfAborted();
        const deleted = await deleteBatch();
        result.batches += 1;
        total += deleted;
        if (deleted < batchSize) return total;
      }
    };
    if (completedDays > 0) result.completed = await inBatches(() => this.pruneJobs(['completed'], completedDays));
    if (failedDays > 0) result.failed = await inBatches(() => this.pruneJobs(['failed', 'cancelled'], failedDays));
    const fireDays = fireRetentionDays(this.retention);
    if (fireDays > 0) result.fires = await inBatches(() => this.fires.pruneFires(fireDays, batchSize));
    context.logger.log(`Pruned ${result.completed} completed and ${result.failed} failed or cancelled jobs, ${result.fires} fire rows`);
    return result;
  }

  private async pruneJobs(statuses: string[], days: number): Promise<number> {
    const result = await this.database.pool.query({ ...this.statement, values: [statuses, days, this.retention.batchSize] });
    return result.rowCount ?? 0;
  }
}
