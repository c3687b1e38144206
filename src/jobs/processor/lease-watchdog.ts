import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';

/**
 * Runs in a thread of its own, so that it keeps time while the main thread is blocked. Shared state: [0] the
 * earliest monotonic ms at which a running handler outlives 90% of its last confirmed lease, [1] how many handlers
 * run. When that moment passes with handlers still running, the process kills itself: its handlers end before any
 * lease expires, so the lease sweep can never hand their jobs to another worker while they still run.
 *
 * A tick that comes late by more than `stallMs` means the whole process was stopped (SIGSTOP, a paused VM) or
 * starved: the main thread then gets `graceMs` to notice its lost leases and abort its handlers before the check
 * resumes.
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new BigInt64Array(workerData.buffer);
const { periodMs, stallMs, graceMs, label } = workerData;
const now = () => Number(process.hrtime.bigint() / 1000000n);
let last = now();
let resumedAt = -Infinity;
setInterval(() => {
  const t = now();
  if (t - last > periodMs + stallMs) resumedAt = t;
  last = t;
  if (t - resumedAt < graceMs) return;
  const running = Number(Atomics.load(state, 1));
  const deadline = Number(Atomics.load(state, 0));
  if (running <= 0 || t < deadline) return;
  writeSync(2, '[LeaseWatchdog] ' + new Date().toISOString() + ' ' + label + ': ' + running +
    ' handlers still run ' + (t - deadline) + ' ms past 90% of their last renewed lease (event loop blocked, or ' +
    'handlers ignoring their abort signal while leases cannot be renewed): killing this process before the leases ' +
    'expire, so that no job runs twice at once\\n');
  process.kill(process.pid, 'SIGKILL');
}, periodMs);
`;

/** Share of the lease after which a handler that still runs ends the process. */
export const WATCHDOG_AT = 0.9;

/**
 * The process's last line of defence against running a job twice at once: a watchdog thread that kills the
 * process when a handler outlives its lease's safe part (see `WATCHDOG_SOURCE`). The main thread reports, after
 * every change, how many handlers run and when the first of them reaches 90% of its confirmed lease.
 */
export class LeaseWatchdog {
  private readonly logger = new Logger('LeaseWatchdog');
  private readonly buffer = new SharedArrayBuffer(16);
  private readonly state = new BigInt64Array(this.buffer);
  private worker?: Worker;

  constructor(
    private readonly leaseMs: number,
    private readonly label: string,
  ) {}

  start(): void {
    const periodMs = Math.min(250, Math.max(10, Math.floor(this.leaseMs / 40)));
    this.worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: {
        buffer: this.buffer,
        periodMs,
        stallMs: Math.max(200, Math.floor(this.leaseMs / 10)),
        graceMs: Math.max(250, Math.floor(this.leaseMs / 8)),
        label: this.label,
      },
    });
    // Never keeps the process alive, and a failure to run it is reported rather than fatal.
    this.worker.unref();
    this.worker.on('error', (error) => this.logger.error(`Lease watchdog stopped: ${error.message}`));
  }

  /** `running` handlers; the first reaches 90% of its confirmed lease at `deadlineMs` (monotonic). */
  update(running: number, deadlineMs: number): void {
    Atomics.store(this.state, 0, BigInt(Math.floor(Number.isFinite(deadlineMs) ? deadlineMs : Number.MAX_SAFE_INTEGER)));
    Atomics.store(this.state, 1, BigInt(running));
  }

  stop(): void {
    Atomics.store(this.state, 1, 0n);
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
