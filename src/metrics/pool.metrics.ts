import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { Pool } from 'pg';
import { JobsDatabase } from '../jobs/index.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * The application's `pg` pool (the one TypeORM and the jobs hot path share), read at scrape time. Until the
 * database is connected there is no pool and these series are absent.
 */
@Injectable()
export class PoolMetrics {
  constructor(database: JobsDatabase, registry: MetricsRegistry) {
    const registers = [registry];
    const pool = (): Pool | undefined => (database.isReady ? database.pool : undefined);
    new Gauge({
      name: 'jobs_db_pool_connections',
      help: 'Open connections of the database pool, by state: busy (checked out) or idle.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const current = pool();
        if (!current) return;
        this.set({ state: 'busy' }, current.totalCount - current.idleCount);
        this.set({ state: 'idle' }, current.idleCount);
      },
    });
    new Gauge({
      name: 'jobs_db_pool_max_connections',
      help: 'Size of the database pool (DATABASE_POOL_SIZE).',
      registers,
      collect() {
        const current = pool();
        if (current) this.set(current.options.max);
      },
    });
    new Gauge({
      name: 'jobs_db_pool_waiting_requests',
      help: 'Queries waiting for a connection of the database pool: above 0, the pool is the bottleneck.',
      registers,
      collect() {
        const current = pool();
        if (current) this.set(current.waitingCount);
      },
    });
  }
}
