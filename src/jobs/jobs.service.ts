import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_PAGE_SIZE, JOBS_MODULE_OPTIONS } from './jobs.constants.js';
import type { JobsModuleOptions } from './interfaces/jobs-module-options.interface.js';
import type { EnqueueOptions, EnqueueRequest, EnqueueResult } from './interfaces/enqueue-options.interface.js';
import type { Job } from './interfaces/job.interface.js';
import { JOB_STATUSES, type JobStatus } from './interfaces/job-status.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobRepository, type NewJobRow } from './job.repository.js';
import { EnqueueBatcher } from './enqueue-batcher.js';
import { JobsDatabase } from './jobs-database.js';
import { JobEvents } from './events/job-events.js';
import { toJob } from './job-row.mapper.js';
import { payloadLimitsOf, toNewJobRow, type PayloadLimits } from './job-input.validation.js';
import { InvalidJobInputError, JobNotFoundError, JobStateConflictError, JobsNotReadyError } from './errors/jobs.errors.js';
import { decodeCursor, encodeCursor, parseJobId } from './job-id.js';

export interface ListJobsOptions {
  status?: JobStatus;
  name?: string;
  queue?: string;
  /** Default 50 (or `maxPageSize` when smaller), at most `maxPageSize` (500). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface JobPage {
  items: Job[];
  /** null on the last page. */
  nextCursor: string | null;
}

const DEFAULT_PAGE = 50;

/** What feature modules inject to enqueue and inspect jobs. Works in every deployment mode. */
@Injectable()
export class JobsService {
  private readonly payloadLimits: PayloadLimits;
  private readonly maxBatchSize: number;
  private readonly maxPageSize: number;
  /** Concurrent autocommit enqueues without a key share statements (see `EnqueueBatcher`). */
  private readonly batcher = new EnqueueBatcher<NewJobRow, EnqueueResult>(
    (row) => this.insertOne(row),
    (rows) => this.insertRows(rows),
  );

  constructor(
    @Inject(JOBS_MODULE_OPTIONS) options: JobsModuleOptions,
    private readonly registry: JobHandlerRegistry,
    private readonly repository: JobRepository,
    private readonly database: JobsDatabase,
    private readonly events: JobEvents,
  ) {
    this.payloadLimits = payloadLimitsOf(options);
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.maxPageSize = options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
  }

  /** Resolves once the database is connected and migrated. */
  whenReady(): Promise<void> {
    return this.database.ready;
  }

  /**
   * Enqueues one job. With `options.manager` it joins that TypeORM transaction: the job exists only if it commits.
   * With `options.key`, a live job holding the key is returned unchanged (`created: false`). Without either, calls
   * made while another is being inserted share the next statement (see `EnqueueBatcher`); each gets its own result.
   */
  async enqueue<Payload = unknown>(name: string, payload?: Payload, options: EnqueueOptions = {}): Promise<EnqueueResult<Payload>> {
    const { manager, ...rest } = options;
    const row = await toNewJobRow({ ...rest, name, payload }, this.registry, this.payloadLimits);
    this.assertReady();
    if (manager || row.key !== null) return this.insertOne(row, manager) as Promise<EnqueueResult<Payload>>;
    return this.batcher.add(row) as Promise<EnqueueResult<Payload>>;
  }

  /**
   * Enqueues many jobs in one statement, all or none. Within the batch, the first job with a key wins. At most
   * `maxBatchSize` jobs (default 10000): more is an `InvalidJobInputError` naming `jobs`, checked before any job.
   */
  async enqueueMany(requests: EnqueueRequest[], options: Pick<EnqueueOptions, 'manager'> = {}): Promise<EnqueueResult[]> {
    if (Array.isArray(requests) && requests.length > this.maxBatchSize) {
      throw new InvalidJobInputError('jobs', `must hold at most ${this.maxBatchSize} jobs (JOBS_MAX_BATCH_SIZE)`);
    }
    return this.insert(requests, options.manager, 'jobs');
  }

  /** The job, or `JobNotFoundError`. */
  async get(id: string): Promise<Job> {
    this.assertReady();
    const row = await this.repository.get(parseJobId(id));
    if (!row) throw new JobNotFoundError(id);
    return toJob(row);
  }

  /** Newest first, keyset-paged; `limit` from 1 to `maxPageSize` (default 500). */
  async list(options: ListJobsOptions = {}): Promise<JobPage> {
    this.assertReady();
    const limit = options.limit ?? Math.min(DEFAULT_PAGE, this.maxPageSize);
    if (!Number.isInteger(limit) || limit < 1 || limit > this.maxPageSize) {
      throw new InvalidJobInputError('limit', `must be an integer from 1 to ${this.maxPageSize} (JOBS_MAX_PAGE_SIZE)`);
    }
    if (options.status !== undefined && !JOB_STATUSES.includes(options.status)) {
      throw new InvalidJobInputError('status', `must be one of ${JOB_STATUSES.join(', ')}`);
    }
    const beforeId = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const rows = await this.repository.list({ ...options, beforeId, limit: limit + 1 });
    const items = rows.slice(0, limit).map(toJob);
    const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1].id) : null;
    return { items, nextCursor };
  }

  /**
   * Cancels a pending job (it never runs) or a running one (its handler's signal aborts, in whichever process;
   * whatever the handler writes afterwards changes nothing). Finished jobs: `JobStateConflictError`.
   */
  async cancel(id: string): Promise<Job> {
    this.assertReady();
    const row = await this.repository.cancel(parseJobId(id));
    if (row) return toJob(row);
    const current = await this.get(id);
    throw new JobStateConflictError(`Job ${id} is ${current.status}; only pending or processing jobs can be cancelled`);
  }

  /**
   * Puts a failed or cancelled job back to pending, due now, attempts 0, keeping its error history.
   * Other states, or a cancelled job whose handler is still running: `JobStateConflictError`.
   */
  async retry(id: string): Promise<Job> {
    this.assertReady();
    let row;
    try {
      row = await this.repository.retry(parseJobId(id));
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new JobStateConflictError(`Job ${id} cannot be retried: another live job holds its dedup key`);
      }
      throw error;
    }
    if (row) return toJob(row);
    const current = await this.get(id);
    const reason =
      current.status === 'cancelled'
        ? 'its cancelled handler is still running; retry once it has stopped'
        : `it is ${current.status}; only failed or cancelled jobs can be retried`;
    throw new JobStateConflictError(`Job ${id} cannot be retried: ${reason}`);
  }

  private async insert(
    requests: EnqueueRequest[],
    manager: EnqueueOptions['manager'],
    batchField: string,
  ): Promise<EnqueueResult[]> {
    if (!Array.isArray(requests) || requests.length === 0) throw new InvalidJobInputError(batchField || 'jobs', 'must not be empty');
    const rows = await Promise.all(
      requests.map((request, index) =>
        toNewJobRow(request, this.registry, this.payloadLimits, batchField ? `${batchField}[${index}].` : ''),
      ),
    );
    this.assertReady();
    return this.insertRows(rows, manager);
  }

  private async insertOne(row: NewJobRow, manager?: EnqueueOptions['manager']): Promise<EnqueueResult> {
    const inserted = await this.repository.insertOne(row, manager);
    this.events.enqueued([inserted]);
    return { job: toJob(inserted), created: inserted.created };
  }

  /** One statement for all rows; the results in input order. */
  private async insertRows(rows: NewJobRow[], manager?: EnqueueOptions['manager']): Promise<EnqueueResult[]> {
    // One key twice in one batch: the first wins; the later ones resolve to its row.
    const firstWithKey = new Map<string, number>();
    const unique = rows.filter((row, index) => {
      if (row.key === null) return true;
      if (firstWithKey.has(row.key)) return false;
      firstWithKey.set(row.key, index);
      return true;
    });
    const inserted = await this.repository.insert(unique, manager);
    this.events.enqueued(inserted);
    const byKey = new Map(inserted.filter((row) => row.key !== null).map((row) => [row.key as string, row]));
    // Rows without a key come back with ascending ids in input order.
    const keyless = inserted.filter((row) => row.key === null).sort((a, b) => compareIds(a.id, b.id));
    let next = 0;
    return rows.map((row, index) => {
      const found = row.key === null ? keyless[next++] : byKey.get(row.key);
      if (!found) throw new Error(`enqueue: no row returned for job ${index}`);
      const duplicateInBatch = row.key !== null && firstWithKey.get(row.key) !== index;
      return { job: toJob(found), created: found.created && !duplicateInBatch };
    });
  }

  private assertReady(): void {
    if (!this.database.isReady) throw new JobsNotReadyError();
  }
}

// Ids are bigint texts without leading zeros: the shorter is the smaller, and equal lengths compare as text.
const compareIds = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
