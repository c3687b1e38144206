import { Injectable } from '@nestjs/common';
import { JobsDatabase } from '../jobs-database.js';
import { JOB_STATUSES, type JobStatus } from '../interfaces/job-status.js';
import type { Statement } from '../sql/statement.js';
import type { JobCount, JobCounts, ThroughputMinute } from './job-stats.interface.js';
import { refreshJobCountsStatement } from './sql/refresh-job-counts.sql.js';
import { selectJobCountsStatement } from './sql/select-job-counts.sql.js';
import { selectThroughputStatement } from './sql/select-throughput.sql.js';

/** Default of `counts`' `maxAgeMs`. */
export const DEFAULT_COUNTS_MAX_AGE_MS = 5_000;

/**
 * Cluster-wide figures for dashboards and metrics, read cheaply: counts come from a shared snapshot that one
 * process at a time recounts when it is stale, never from a count of the whole table per request.
 */
@Injectable()
export class JobStatsService {
  private readonly statements: { refresh: Statement; refreshWaiting: Statement; select: Statement; throughput: Statement };
  private inFlight?: Promise<JobCounts>;

  constructor(private readonly database: JobsDatabase) {
    const { schema, table } = database;
    this.statements = {
      refresh: refreshJobCountsStatement(schema, table, true),
      refreshWaiting: refreshJobCountsStatement(schema, table, false),
      select: selectJobCountsStatement(schema),
      throughput: selectThroughputStatement(schema, table),
    };
  }

  /**
   * Jobs by queue and status, at most `maxAgeMs` old (default 5 s) — older on large tables, where a recount is
   * spaced to 20 times its own duration, and while another process is recounting. Concurrent calls in one process
   * share one read.
   */
  counts(maxAgeMs = DEFAULT_COUNTS_MAX_AGE_MS): Promise<JobCounts> {
    this.inFlight ??= this.readCounts(maxAgeMs).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Jobs completed and failed per minute over the last `minutes` minutes (default 60), oldest first. */
  async throughput(minutes = 60): Promise<ThroughputMinute[]> {
    const rows = await this.query<{ minute: Date; completed: number; failed: number }>(this.statements.throughput, [minutes]);
    return rows.map((row) => ({ minute: row.minute, completed: row.completed, failed: row.failed }));
  }

  private async readCounts(maxAgeMs: number): Promise<JobCounts> {
    const age = [Math.round(maxAgeMs)];
    await this.query(this.statements.refresh, age);
    let snapshot = await this.readSnapshot();
    // Never counted, and another process is counting right now: wait for its count rather than answer nothing.
    if (!snapshot.takenAt) {
      await this.query(this.statements.refreshWaiting, age);
      snapshot = await this.readSnapshot();
    }
    return snapshot;
  }

  private async readSnapshot(): Promise<JobCounts> {
    const [row] = await this.query<{ counts: JobCount[]; taken_at: Date | null }>(this.statements.select, []);
    const byQueue = (row?.counts ?? []).map((c) => ({ queue: c.queue, status: c.status, count: Number(c.count) }));
    const totals = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
    for (const { status, count } of byQueue) totals[status] += count;
    return { takenAt: row?.taken_at ?? null, byQueue, totals };
  }

  private async query<Row>(statement: Statement, values: unknown[]): Promise<Row[]> {
    const result = await this.database.pool.query({ name: statement.name, text: statement.text, values });
    return result.rows as Row[];
  }
}
