import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Counter, Gauge, Histogram } from 'prom-client';
import { jobsConfig } from '../config/jobs.config.js';
import { JobEvents, JobProcessorService, type JobAttemptOutcome } from '../jobs/index.js';
import { MetricsRegistry } from './metrics.registry.js';

/** Handler run times: from milliseconds to an hour, since jobs range from an echo to a nightly report. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** One claim statement: milliseconds when healthy; the top buckets show a database under strain. */
/** Due to started: milliseconds when workers keep up; minutes and more when a backlog builds. */
const WAIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const CLAIM_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * What this process's job processor does, where processing is enabled (elsewhere none of these series exist):
 * outcomes and handler run times fed by `JobEvents` (one counter or histogram update per event, nothing else on the
 * hot path), and gauges read from the processor's own figures at scrape time. Labels are the queue and job name,
 * both bounded by the configured handlers, never a job id.
 */
@Injectable()
export class ProcessorMetrics implements OnModuleDestroy {
  private readonly unsubscribe?: () => void;

  constructor(
    events: JobEvents,
    registry: MetricsRegistry,
    @Inject(jobsConfig.KEY) jobs: ConfigType<typeof jobsConfig>,
    // Explicit token: the union type would be emitted as `Object` in the constructor's metadata.
    @Optional() @Inject(JobProcessorService) processor: JobProcessorService | null,
  ) {
    if (!processor) return;
    const registers = [registry];
    const labelNames = ['queue', 'name'] as const;
    const completed = new Counter({ name: 'jobs_completed_total', help: 'Jobs this process completed.', labelNames, registers });
    const failed = new Counter({ name: 'jobs_failed_total', help: 'Jobs whose last attempt failed in this process (failed for good).', labelNames, registers });
    const retried = new Counter({ name: 'jobs_retried_total', help: 'Failed attempts in this process that were scheduled for another attempt.', labelNames, registers });
    const byOutcome: Partial<Record<JobAttemptOutcome, Counter<'queue' | 'name'>>> = { completed, failed, retried };
    const duration = new Histogram({
      name: 'job_duration_seconds',
      help: 'Handler run time of the attempts whose outcome this process stored, by outcome (completed, retried, failed, cancelled, released).',
      labelNames: ['queue', 'name', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    const claimed = new Counter({ name: 'jobs_claimed_total', help: 'Jobs this process claimed (each claim starts an attempt).', registers });
    const claimDuration = new Histogram({
      name: 'jobs_claim_duration_seconds',
      help: 'Latency of the claim statement (millisecond resolution), also of claims that found no due job.',
      buckets: CLAIM_BUCKETS,
      registers,
    });
    const waited = new Histogram({
      name: 'job_wait_seconds',
      help: 'How long the jobs this process claimed had been due (run-at to claim, database clock): the delay users feel.',
      labelNames: ['queue'] as const,
      buckets: WAIT_BUCKETS,
      registers,
    });
    const rescued = new Counter({
      name: 'jobs_lease_rescued_total',
      help: "Jobs whose expired lease this process's sweep returned (to pending, or to failed after their last attempt).",
      registers,
    });
    this.unsubscribe = events.subscribe({
      claimed: (count, claimMs) => {
        claimed.inc(count);
        claimDuration.observe(claimMs / 1000);
      },
      started: (queue, _name, waitedMs) => waited.observe({ queue }, Math.max(0, waitedMs) / 1000),
      settled: (job, outcome, durationMs) => {
        byOutcome[outcome]?.inc({ queue: job.queue, name: job.name });
        duration.observe({ queue: job.queue, name: job.name, outcome }, durationMs / 1000);
      },
      rescued: (count) => rescued.inc(count),
    });

    // The processor already counts these; reading them at scrape time costs the hot path nothing.
    let lateWritesSeen = 0;
    new Counter({
      name: 'jobs_late_writes_rejected_total',
      help: 'Fenced writes of this process that changed nothing: the job was no longer held by it (taken over, cancelled or gone).',
      registers,
      collect() {
        const total = processor.stats().lateWritesRejected;
        this.inc(total - lateWritesSeen);
        lateWritesSeen = total;
      },
    });
    new Gauge({
      name: 'jobs_processor_concurrency_in_use',
      help: 'Handlers running in this process now (slots of JOBS_CONCURRENCY in use).',
      registers,
      collect() {
        this.set(processor.runningCount);
      },
    });
    new Gauge({ name: 'jobs_processor_concurrency_limit', help: 'Handlers this process runs at once at most (JOBS_CONCURRENCY).', registers }).set(
      jobs.concurrency,
    );
    new Gauge({
      name: 'jobs_processor_leases_healthy',
      help: '1 while this process renews its leases; 0 while renewals fail (claims are paused).',
      registers,
      collect() {
        this.set(processor.stats().leasesHealthy ? 1 : 0);
      },
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
