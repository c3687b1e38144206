import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { JOB_STATUSES, JobsDatabase, JobStatsService } from '../jobs/index.js';
import { ClusterLeader } from './cluster-leader.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * The cluster-wide gauges: jobs by queue and status, for the whole database rather than this process. They come
 * from `JobStatsService.counts()`, a shared snapshot that at most one process recounts at a time (never a count of
 * the table per scrape), and only the elected process exports them (`ClusterLeader`): the others omit them
 * entirely, so `sum()` over instances counts every job once. `jobs_cluster_exporter` (in every process) says which
 * process it is.
 */
@Injectable()
export class ClusterMetrics {
  private readonly logger = new Logger('ClusterMetrics');
  /** Apart from the process's registry: written out only by the leader. */
  private readonly registry = new Registry();
  private readonly jobs: Gauge<'queue' | 'status'>;
  private readonly takenAt: Gauge;
  private readonly exporter: Gauge;
  private inFlight?: Promise<string>;

  constructor(
    private readonly database: JobsDatabase,
    private readonly stats: JobStatsService,
    private readonly leader: ClusterLeader,
    registry: MetricsRegistry,
  ) {
    const registers = [this.registry];
    this.jobs = new Gauge({
      name: 'jobs_cluster_jobs',
      help: 'Jobs in the whole cluster (one database) by queue and status; exported by one process only (jobs_cluster_exporter), so sums over instances count each job once.',
      labelNames: ['queue', 'status'] as const,
      registers,
    });
    this.takenAt = new Gauge({
      name: 'jobs_cluster_snapshot_timestamp_seconds',
      help: 'When jobs_cluster_jobs was counted (database clock, Unix time); the snapshot is recounted when older than 5 s, less often on large tables.',
      registers,
    });
    this.exporter = new Gauge({
      name: 'jobs_cluster_exporter',
      help: '1 in the one process that exports the cluster-wide jobs_cluster_* gauges, 0 in the others.',
      registers: [registry],
    });
  }

  /**
   * The cluster-wide gauges in the exposition format, or '' where this process is not the exporter (or the database
   * cannot say right now: a scrape never fails for want of them). Concurrent scrapes share one read.
   */
  exposition(): Promise<string> {
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<string> {
    let leading = false;
    try {
      leading = this.database.isReady && (await this.leader.holds());
      if (!leading) return '';
      const counts = await this.stats.counts();
      this.jobs.reset();
      // Every status of every queue that has jobs, 0 included, so that a series does not vanish when its count drops to 0.
      for (const queue of new Set(counts.byQueue.map((count) => count.queue))) {
        for (const status of JOB_STATUSES) this.jobs.set({ queue, status }, 0);
      }
      for (const { queue, status, count } of counts.byQueue) this.jobs.set({ queue, status }, count);
      if (counts.takenAt) this.takenAt.set(counts.takenAt.getTime() / 1000);
      return await this.registry.metrics();
    } catch (error) {
      this.logger.warn(`Cluster-wide job counts unavailable for this scrape: ${(error as Error).message}`);
      leading = false;
      return '';
    } finally {
      this.exporter.set(leading ? 1 : 0);
    }
  }
}
