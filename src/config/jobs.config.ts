import { registerAs } from '@nestjs/config';
import { processesJobs, deploymentModeOf } from './deployment-mode.js';
import { loadEnvironment } from './load-environment.js';

export interface JobsConfig {
  schema: string;
  processingEnabled: boolean;
  concurrency: number;
  /** undefined: every queue. */
  queues?: string[];
  leaseMs: number;
  sweepIntervalMs: number;
  pollIntervalMs: number;
  shutdownGraceMs: number;
  leaseWatchdog: boolean;
  maxPayloadBytes: number;
  maxBatchBytes: number;
  maxPayloadDepth: number;
  maxBatchSize: number;
  maxPageSize: number;
  /** Days after which finished jobs are pruned; 0 keeps them. */
  retention: { completedDays: number; failedDays: number };
}

export const jobsConfig = registerAs('jobs', (): JobsConfig => {
  const env = loadEnvironment();
  return {
    schema: env.JOBS_SCHEMA,
    processingEnabled: processesJobs(deploymentModeOf(env)),
    concurrency: env.JOBS_CONCURRENCY,
    queues: env.JOBS_QUEUES?.split(',').map((queue) => queue.trim()),
    leaseMs: env.JOBS_LEASE_MS,
    sweepIntervalMs: env.JOBS_SWEEP_INTERVAL_MS,
    pollIntervalMs: env.JOBS_POLL_INTERVAL_MS,
    shutdownGraceMs: env.JOBS_SHUTDOWN_GRACE_MS,
    leaseWatchdog: env.JOBS_LEASE_WATCHDOG,
    maxPayloadBytes: env.JOBS_MAX_PAYLOAD_BYTES,
    maxBatchBytes: env.JOBS_MAX_BATCH_BYTES,
    maxPayloadDepth: env.JOBS_MAX_PAYLOAD_DEPTH,
    maxBatchSize: env.JOBS_MAX_BATCH_SIZE,
    maxPageSize: env.JOBS_MAX_PAGE_SIZE,
    retention: { completedDays: env.JOBS_RETENTION_COMPLETED_DAYS, failedDays: env.JOBS_RETENTION_FAILED_DAYS },
  };
});
