import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { JOBS_MODULE_OPTIONS } from './jobs.constants.js';
import type { JobsModuleOptions } from './interfaces/jobs-module-options.interface.js';
import { migrateJobsSchema } from './jobs-schema.migrator.js';
import { JobsNotReadyError } from './errors/jobs.errors.js';
import { retryWithBackoff } from './processor/retry-with-backoff.js';

const guarded = new WeakSet<object>();

/**
 * pg-pool removes its error listener from a client while it is checked out. A connection cut in that state between
 * two queries (the server terminated it right after handing it over, say) then emits an 'error' nobody listens to,
 * and Node ends the process. Every client gets a listener of its own at its first checkout: the error still reaches
 * the query that uses the client next, which fails as a dropped connection and is retried.
 */
function guardCheckedOutClients(pool: Pool): void {
  pool.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', () => undefined);
  });
}

/**
 * The jobs' view of the database: the application's DataSource, its `pg` pool for the hot path, and readiness
 * (connected and migrated). Connecting happens after bootstrap and is retried, so the HTTP server (health) is up
 * while the database is still coming up.
 */
@Injectable()
export class JobsDatabase implements OnApplicationBootstrap {
  private readonly logger = new Logger('JobsDatabase');
  private dataSourceValue?: DataSource;
  private poolValue?: Pool;
  private stopped = false;
  private resolveReady!: () => void;
  /** Resolves once connected and migrated. */
  readonly ready: Promise<void> = new Promise((resolve) => (this.resolveReady = resolve));
  readonly schema: string;
  /** `"schema".jobs`, for statement texts. The schema is validated as an identifier. */
  readonly table: string;

  constructor(@Inject(JOBS_MODULE_OPTIONS) private readonly options: JobsModuleOptions) {
    this.schema = options.schema ?? 'jobs';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) throw new Error(`Invalid jobs schema '${this.schema}'.`);
    this.table = `"${this.schema}".jobs`;
  }

  onApplicationBootstrap(): void {
    void this.connect();
  }

  /** Stops retrying (application shutdown). */
  stop(): void {
    this.stopped = true;
  }

  get isReady(): boolean {
    return this.poolValue !== undefined;
  }

  get dataSource(): DataSource {
    if (!this.dataSourceValue || !this.poolValue) throw new JobsNotReadyError();
    return this.dataSourceValue;
  }

  get pool(): Pool {
    if (!this.poolValue) throw new JobsNotReadyError();
    return this.poolValue;
  }

  /** Channel names: one per schema, so two installations in one database never wake each other. */
  get wakeChannel(): string {
    return `${this.schema}.wake`;
  }

  get cancelChannel(): string {
    return `${this.schema}.cancel`;
  }

  private async connect(): Promise<void> {
    const source = this.options.dataSource;
    const dataSource = typeof source === 'function' ? await source() : source;
    // The pg pool under TypeORM: the hot path runs named statements on it directly.
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    guardCheckedOutClients(pool);
    if (this.options.migrationsRun !== false) {
      await retryWithBackoff(
        async () => {
          const applied = await migrateJobsSchema(dataSource, pool, this.schema);
          if (applied.length > 0) this.logger.log(`Applied jobs migrations: ${applied.join(', ')}`);
        },
        {
          isStopped: () => this.stopped,
          onError: (error, delayMs) =>
            this.logger.warn(`Jobs migrations failed (${(error as Error).message}); retrying in ${delayMs} ms`),
        },
      );
    }
    if (this.stopped) return;
    this.dataSourceValue = dataSource;
    this.poolValue = pool;
    this.resolveReady();
  }
}
