import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClientBase } from 'pg';
import { JobsDatabase } from './jobs-database.js';
import type { JobRow } from './job-row.mapper.js';
import { insertJobsStatement, insertKeylessJobsStatement } from './sql/insert-jobs.sql.js';
import { insertJobStatement, insertKeyedJobStatement } from './sql/insert-job.sql.js';
import { claimJobsStatement, claimQueueJobsStatement } from './sql/claim-jobs.sql.js';
import { completeAndClaimJobsStatement, completeAndClaimQueueJobsStatement } from './sql/complete-and-claim-jobs.sql.js';
import { heartbeatJobsStatement } from './sql/heartbeat-jobs.sql.js';
import { completeJobsStatement } from './sql/complete-jobs.sql.js';
import { failJobsStatement } from './sql/fail-jobs.sql.js';
import { rescueExpiredJobsStatement } from './sql/rescue-expired-jobs.sql.js';
import { releaseCancelledJobsStatement, releaseJobsStatement } from './sql/release-jobs.sql.js';
import { updateProgressStatement } from './sql/update-progress.sql.js';
import { cancelJobStatement } from './sql/cancel-job.sql.js';
import { retryJobStatement } from './sql/retry-job.sql.js';
import { selectJobStatement } from './sql/select-job.sql.js';
import { selectJobHoldersStatement } from './sql/select-job-holders.sql.js';
import { listJobsQuery, type ListJobsFilter } from './sql/list-jobs.sql.js';
import type { Statement } from './sql/statement.js';

/** A job row ready to insert: every field resolved by `JobsService`. */
export interface NewJobRow {
  name: string;
  queue: string;
  priority: number;
  /** JSON text, or null for no payload. */
  payload: string | null;
  maxAttempts: number;
  runAt: string | null;
  delayMs: number | null;
  key: string | null;
}

export type InsertedJobRow = JobRow & { created: boolean };

/** What a keyless insert returns (`NEW_JOB_COLUMNS`): what the database decided for the new row. */
interface NewJobIdentity {
  id: string;
  run_at_ms: number;
  created_at_ms: number;
}

/** The row a keyless insert created: what was sent, plus what the database decided. */
function newJobRow(job: NewJobRow, identity: NewJobIdentity): InsertedJobRow {
  return {
    id: String(identity.id),
    name: job.name,
    queue: job.queue,
    status: 'pending',
    priority: job.priority,
    // As Postgres' jsonb stores it (key order aside), which is what `JSON.parse` of the text sent gives.
    payload: job.payload === null ? null : JSON.parse(job.payload),
    result: null,
    error: null,
    errors: [],
    attempts: 0,
    max_attempts: job.maxAttempts,
    run_at: new Date(identity.run_at_ms),
    progress: 0,
    key: null,
    worker_id: null,
    created_at: new Date(identity.created_at_ms),
    started_at: null,
    finished_at: null,
    created: true,
  };
}

/** What a claim hands the processor. */
export interface ClaimedJobRow {
  id: string;
  name: string;
  queue: string;
  priority: number;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  /** How long the job had been due when claimed, in ms (database clock). */
  waited_ms: number;
}

/** One fenced write target: the job and the attempt this worker holds. */
export interface HeldJob {
  id: string;
  attempt: number;
}

/** Who holds a job now (read after a fenced write changed nothing). */
export interface JobHolderRow {
  id: string;
  status: string;
  worker_id: string | null;
  attempts: number;
}

export interface FailedAttempt extends HeldJob {
  message: string;
  stack: string | null;
  retryDelayMs: number;
}

interface ClaimStatements {
  claim: Statement;
  claimQueues: Statement;
  completeAndClaim: Statement;
  completeAndClaimQueues: Statement;
}

/**
 * Every statement on the jobs table. Hot-path statements are named (prepared once per connection) and take arrays,
 * so one round trip serves a whole batch.
 */
@Injectable()
export class JobRepository {
  private readonly statements: Record<string, Statement>;
  private readonly claimStatementsByCap = new Map<number, ClaimStatements>();

  constructor(private readonly database: JobsDatabase) {
    const { schema, table } = database;
    this.statements = {
      insert: insertJobsStatement(schema, table),
      insertKeyless: insertKeylessJobsStatement(schema, table),
      insertOne: insertJobStatement(schema, table),
      insertOneKeyed: insertKeyedJobStatement(schema, table),
      heartbeat: heartbeatJobsStatement(schema, table),
      complete: completeJobsStatement(schema, table),
      fail: failJobsStatement(schema, table),
      rescue: rescueExpiredJobsStatement(schema, table),
      release: releaseJobsStatement(schema, table),
      releaseCancelled: releaseCancelledJobsStatement(schema, table),
      progress: updateProgressStatement(schema, table),
      cancel: cancelJobStatement(schema, table),
      retry: retryJobStatement(schema, table),
      select: selectJobStatement(schema, table),
      holders: selectJobHoldersStatement(schema, table),
    };
  }

  /** Inserts in input order; inside `manager`'s transaction when given. Rows carry `created`. */
  async insert(jobs: NewJobRow[], manager?: EntityManager): Promise<InsertedJobRow[]> {
    const values = [
      jobs.map((job) => job.name),
      jobs.map((job) => job.queue),
      jobs.map((job) => job.priority),
      jobs.map((job) => job.payload),
      jobs.map((job) => job.maxAttempts),
      jobs.map((job) => job.runAt),
      jobs.map((job) => job.delayMs),
      jobs.map((job) => job.key),
    ];
    if (jobs.some((job) => job.key !== null)) return this.inserted<InsertedJobRow>(this.statements.insert, values, manager);
    const rows = await this.inserted<NewJobIdentity>(this.statements.insertKeyless, values, manager);
    // Rows come back in input order (ids ascend with it): the statement inserts in that order.
    return rows.map((row, index) => newJobRow(jobs[index], row));
  }

  /** One job (the single-row statement); inside `manager`'s transaction when given. The row carries `created`. */
  async insertOne(job: NewJobRow, manager?: EntityManager): Promise<InsertedJobRow> {
    const values = [job.name, job.queue, job.priority, job.payload, job.maxAttempts, job.runAt, job.delayMs, job.key];
    if (job.key !== null) return (await this.inserted<InsertedJobRow>(this.statements.insertOneKeyed, values, manager))[0];
    return newJobRow(job, (await this.inserted<NewJobIdentity>(this.statements.insertOne, values, manager))[0]);
  }

  private async inserted<Row>(statement: Statement, values: unknown[], manager?: EntityManager): Promise<Row[]> {
    values.push(this.database.wakeChannel);
    if (manager) {
      // The caller's transaction: its connection, so the jobs commit or roll back with its own writes.
      return (await manager.query(statement.text, values)) as Row[];
    }
    return this.rows<Row>(statement, values);
  }

  /** Claims up to `limit` due jobs; `cap` bounds every limit of the caller (its concurrency, see `claim-jobs.sql.ts`). */
  claim(names: string[], queues: string[] | undefined, limit: number, cap: number, workerId: string, leaseMs: number) {
    const statements = this.claimStatements(cap);
    return queues
      ? this.rows<ClaimedJobRow>(statements.claimQueues, [names, limit, workerId, leaseMs, queues])
      : this.rows<ClaimedJobRow>(statements.claim, [names, limit, workerId, leaseMs]);
  }

  /**
   * Stores finished jobs' results (fenced like `complete`) and claims up to `limit` jobs, in one statement. Returns
   * the claimed rows and the ids whose result was stored.
   */
  async completeAndClaim(
    finished: Array<HeldJob & { result: string | null }>,
    names: string[],
    queues: string[] | undefined,
    limit: number,
    cap: number,
    workerId: string,
    leaseMs: number,
  ): Promise<{ claimed: ClaimedJobRow[]; completed: string[] }> {
    const values: unknown[] = [names, limit, workerId, leaseMs, ids(finished), attempts(finished), finished.map((job) => job.result)];
    if (queues) values.push(queues);
    const statements = this.claimStatements(cap);
    const rows = await this.rows<ClaimedJobRow & { completed: boolean }>(
      queues ? statements.completeAndClaimQueues : statements.completeAndClaim,
      values,
    );
    const claimed: ClaimedJobRow[] = [];
    const completed: string[] = [];
    for (const row of rows) {
      if (row.completed) completed.push(String(row.id));
      else claimed.push(row);
    }
    return { claimed, completed };
  }

  /** On `connection` when given (the processor's dedicated one), else on the pool. */
  heartbeat(jobs: HeldJob[], workerId: string, leaseMs: number, connection?: ClientBase) {
    return this.rows<{ id: string; status: string }>(this.statements.heartbeat, [ids(jobs), attempts(jobs), leaseMs, workerId], connection);
  }

  /** `results` are JSON texts (null for no result). Returns the ids that were still ours to complete. */
  complete(jobs: Array<HeldJob & { result: string | null }>, workerId: string) {
    return this.rows<{ id: string }>(this.statements.complete, [
      ids(jobs),
      attempts(jobs),
      jobs.map((job) => job.result),
      workerId,
    ]);
  }

  fail(jobs: FailedAttempt[], workerId: string) {
    return this.rows<{ id: string; status: string }>(this.statements.fail, [
      ids(jobs),
      attempts(jobs),
      jobs.map((job) => job.message),
      jobs.map((job) => job.stack),
      jobs.map((job) => job.retryDelayMs),
      workerId,
    ]);
  }

  rescueExpired(limit: number) {
    return this.rows<{ id: string; status: string }>(this.statements.rescue, [limit]);
  }

  release(jobs: HeldJob[], workerId: string) {
    return this.rows<{ id: string }>(this.statements.release, [ids(jobs), attempts(jobs), workerId]);
  }

  releaseCancelled(jobs: HeldJob[], workerId: string) {
    return this.rows<{ id: string }>(this.statements.releaseCancelled, [ids(jobs), attempts(jobs), workerId]);
  }

  /** False when the write was fenced out (the job is no longer held by this worker and attempt). */
  async updateProgress(job: HeldJob, workerId: string, percent: number): Promise<boolean> {
    return (await this.rows(this.statements.progress, [job.id, job.attempt, workerId, percent])).length > 0;
  }

  /** Current status, worker and attempt of each job (missing ids were deleted). */
  holders(jobIds: string[]) {
    return this.rows<JobHolderRow>(this.statements.holders, [jobIds]);
  }

  async cancel(id: string): Promise<(JobRow & { previous_status: string }) | undefined> {
    const rows = await this.rows<JobRow & { previous_status: string }>(this.statements.cancel, [id, this.database.cancelChannel]);
    return rows[0];
  }

  async retry(id: string): Promise<JobRow | undefined> {
    return (await this.rows<JobRow>(this.statements.retry, [id, this.database.wakeChannel]))[0];
  }

  async get(id: string): Promise<JobRow | undefined> {
    return (await this.rows<JobRow>(this.statements.select, [id]))[0];
  }

  async list(filter: ListJobsFilter): Promise<JobRow[]> {
    const query = listJobsQuery(this.database.table, filter);
    return (await this.database.pool.query<JobRow>(query.text, query.values)).rows;
  }

  /** The claim statements for one cap, built once (a processor always claims with the same cap). */
  private claimStatements(cap: number): ClaimStatements {
    let statements = this.claimStatementsByCap.get(cap);
    if (!statements) {
      const { schema, table } = this.database;
      statements = {
        claim: claimJobsStatement(schema, table, cap),
        claimQueues: claimQueueJobsStatement(schema, table, cap),
        completeAndClaim: completeAndClaimJobsStatement(schema, table, cap),
        completeAndClaimQueues: completeAndClaimQueueJobsStatement(schema, table, cap),
      };
      this.claimStatementsByCap.set(cap, statements);
    }
    return statements;
  }

  private async rows<Row>(statement: Statement, values: unknown[], connection?: ClientBase): Promise<Row[]> {
    const result = await (connection ?? this.database.pool).query({ name: statement.name, text: statement.text, values });
    return result.rows as Row[];
  }
}

const ids = (jobs: HeldJob[]) => jobs.map((job) => job.id);
const attempts = (jobs: HeldJob[]) => jobs.map((job) => job.attempt);
