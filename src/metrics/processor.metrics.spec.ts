import { describe, expect, it } from 'vitest';
import { JobEvents, type JobProcessorService } from '../jobs/index.js';
import type { jobsConfig } from '../config/jobs.config.js';
import type { ConfigType } from '@nestjs/config';
import { MetricsRegistry } from './metrics.registry.js';
import { ProcessorMetrics } from './processor.metrics.js';

const jobs = { concurrency: 6 } as ConfigType<typeof jobsConfig>;

const valueIn = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('ProcessorMetrics', () => {
  it("reads the processor's own figures at scrape time: late writes as a counter that follows them", async () => {
    const stats = { running: 2, lateWritesRejected: 3, leasesHealthy: true };
    const processor = { stats: () => stats, get runningCount() { return stats.running; } } as unknown as JobProcessorService;
    const registry = new MetricsRegistry();
    new ProcessorMetrics(new JobEvents(), registry, jobs, processor);

    let text = await registry.metrics();
    expect(valueIn(text, 'jobs_late_writes_rejected_total')).toBe(3);
    expect(valueIn(text, 'jobs_processor_concurrency_in_use')).toBe(2);
    expect(valueIn(text, 'jobs_processor_concurrency_limit')).toBe(6);
    expect(valueIn(text, 'jobs_processor_leases_healthy')).toBe(1);

    Object.assign(stats, { running: 0, lateWritesRejected: 5, leasesHealthy: false });
    text = await registry.metrics();
    expect(valueIn(text, 'jobs_late_writes_rejected_total')).toBe(5);
    expect(valueIn(text, 'jobs_processor_concurrency_in_use')).toBe(0);
    expect(valueIn(text, 'jobs_processor_leases_healthy')).toBe(0);
  });

  it('registers nothing where no processor runs (JOBS_SERVER_DISABLED)', async () => {
    const registry = new MetricsRegistry();
    const events = new JobEvents();
    new ProcessorMetrics(events, registry, jobs, null);
    events.claimed(1, 1);
    expect(await registry.metrics()).not.toMatch(/^jobs_/m);
  });

  it('turns events into outcome counters and histograms, seconds from milliseconds', async () => {
    const registry = new MetricsRegistry();
    const events = new JobEvents();
    const idle = { runningCount: 0, stats: () => ({ running: 0, lateWritesRejected: 0, leasesHealthy: true }) };
    new ProcessorMetrics(events, registry, jobs, idle as unknown as JobProcessorService);
    const job = { name: 'a.b', queue: 'q', attempt: 1, maxAttempts: 2 };
    events.settled(job, 'failed', 1500);
    events.settled({ ...job, attempt: 2 }, 'completed', 500);
    events.claimed(3, 4);
    events.rescued(2);
    const text = await registry.metrics();
    expect(valueIn(text, 'jobs_retried_total{queue="q",name="a.b"}')).toBe(1);
    expect(valueIn(text, 'jobs_completed_total{queue="q",name="a.b"}')).toBe(1);
    expect(valueIn(text, 'job_duration_seconds_sum{queue="q",name="a.b",outcome="retried"}')).toBe(1.5);
    expect(valueIn(text, 'job_duration_seconds_bucket{le="1",queue="q",name="a.b",outcome="completed"}')).toBe(1);
    expect(valueIn(text, 'jobs_claimed_total')).toBe(3);
    expect(valueIn(text, 'jobs_claim_duration_seconds_sum')).toBe(0.004);
    expect(valueIn(text, 'jobs_lease_rescued_total')).toBe(2);
  });
});
