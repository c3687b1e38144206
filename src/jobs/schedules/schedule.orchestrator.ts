import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { WakeSignal } from '../processor/wake-signal.js';
import type { JobsDatabase } from '../jobs-database.js';
import type { ScheduleRepository, FiringScope } from './schedule.repository.js';
import type { ScheduleTicker } from './schedule-ticker.js';
import type { ScheduleSynchronizer } from './schedule.synchronizer.js';

/** Past-due but not claimable (another container is deciding it): look again after this long. */
const BUSY_RETRY_MS = 20;
/** Timers wake this long after a tick, so that the database clock has surely reached it. */
const TIMER_SLACK_MS = 2;

/**
 * The evaluation loop of a container with processing enabled (the `JobsModule` factory creates it nowhere else, so
 * `JOBS_SERVER_DISABLED` containers never fire). It sleeps until the earliest next tick of the schedules it may
 * fire — measured on the database clock — or the refresh interval (schedules changed by other containers), or a
 * local change; then lets the ticker decide what is due. No leader: every container runs it, the ticker's row
 * locks and fire rows make each tick one job.
 */
export class ScheduleOrchestrator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Schedules');
  private readonly signal = new WakeSignal();
  private loop?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly database: JobsDatabase,
    private readonly synchronizer: ScheduleSynchronizer,
    private readonly repository: ScheduleRepository,
    private readonly ticker: ScheduleTicker,
    private readonly scope: () => FiringScope,
    private readonly refreshIntervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    void this.database.ready
      .then(() => this.synchronizer.synced)
      .then(() => {
        if (!this.stopping) this.loop = this.run();
      });
  }

  /** Look again now (a schedule of this process was created or changed). */
  wake(): void {
    this.signal.fire();
  }

  private async run(): Promise<void> {
    let errorDelayMs = 100;
    while (!this.stopping) {
      let delayMs = this.refreshIntervalMs;
      try {
        this.signal.reset();
        await this.ticker.fireDue();
        const { next_fire_at: next, db_now: now } = await this.repository.nextFireTime(this.scope());
        if (next) {
          const untilNext = next.getTime() - now.getTime();
          delayMs = untilNext < 0 ? BUSY_RETRY_MS : Math.min(untilNext + TIMER_SLACK_MS, this.refreshIntervalMs);
        }
        errorDelayMs = 100;
      } catch (error) {
        if (this.stopping) break;
        this.logger.warn(`Schedule evaluation failed (${(error as Error).message}); retrying in ${errorDelayMs} ms`);
        delayMs = errorDelayMs;
        errorDelayMs = Math.min(errorDelayMs * 2, 5_000);
      }
      if (!this.stopping) await this.signal.wait(delayMs);
    }
  }

  /** Stops evaluating; a decision in progress commits (or rolls back) before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signal.fire();
    await this.loop?.catch(() => undefined);
  }
}
