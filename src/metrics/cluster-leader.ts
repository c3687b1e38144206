import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { JobsDatabase } from '../jobs/index.js';

/** A leader that nobody scraped for this long steps down, so that the exporter is always a process being scraped. */
export const LEADER_IDLE_MS = 120_000;
/** Longest wait for the election's statements and connection: a scrape must answer within Prometheus' timeout (10 s). */
const ELECTION_TIMEOUT_MS = 3_000;

/**
 * Is the lock held by any session? Reads the lock table only (no lock taken), so that processes that are not the
 * exporter ask through the pool and open no connection of their own. A bigint advisory key appears in `pg_locks` as
 * its high and low 32 bits (classid, objid) with objsubid 1. $1 the lock's name.
 */
const HELD_SQL = `SELECT EXISTS (
    SELECT 1 FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND objsubid = 1
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid = ((hashtextextended($1, 0) >> 32) & 4294967295)::oid
       AND objid = (hashtextextended($1, 0) & 4294967295)::oid
  ) AS held`;
/** Session-level: held until unlocked or until the session ends, however the process ends. $1 the lock's name. */
const TRY_LOCK_SQL = 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked';

/**
 * Elects the one process of the cluster that exports the cluster-wide gauges, so that summing them over instances
 * never counts a job twice: the holder of a session advisory lock (one per jobs schema) on a connection of its own.
 * Postgres releases the lock when that session ends — the process exits, is killed, or loses its connection — and
 * the next process scraped takes it. Elections happen at scrape time only (no timer, no connection while idle):
 * a process asks through its pool whether anyone holds the lock and opens a connection only to take a free one.
 * The leader checks its session at every scrape, and stops exporting as soon as it cannot confirm it.
 */
@Injectable()
export class ClusterLeader implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MetricsLeader');
  private readonly lockName: string;
  private client?: pg.Client;
  private idleTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly database: JobsDatabase) {
    this.lockName = `jobs.metrics-leader:${database.schema}`;
  }

  /** True when this process holds the lock now (taking it when it is free). Throws when the database cannot tell. */
  async holds(): Promise<boolean> {
    if (this.stopped) return false;
    this.keepAlive();
    if (this.client) {
      try {
        await this.client.query('SELECT 1');
        return true;
      } catch {
        this.drop(this.client, 'its connection failed');
      }
    }
    const { rows } = await this.database.pool.query<{ held: boolean }>({
      text: HELD_SQL,
      values: [this.lockName],
      query_timeout: ELECTION_TIMEOUT_MS,
    } as pg.QueryConfig);
    return rows[0].held ? false : this.tryTake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async tryTake(): Promise<boolean> {
    const client = new pg.Client({
      ...(this.database.pool.options as pg.ClientConfig),
      keepAlive: true,
      connectionTimeoutMillis: ELECTION_TIMEOUT_MS,
      // Also bounds the leader's check at each scrape: a connection that hangs counts as lost.
      query_timeout: ELECTION_TIMEOUT_MS,
    });
    client.on('error', () => this.drop(client, 'its connection failed'));
    client.on('end', () => this.drop(client, 'its connection ended'));
    let locked = false;
    try {
      await client.connect();
      locked = (await client.query<{ locked: boolean }>(TRY_LOCK_SQL, [this.lockName])).rows[0].locked;
    } catch {
      locked = false;
    }
    // Not taken: another process took it between the look and the try, or this process is stopping.
    if (!locked || this.stopped) {
      this.drop(client);
      return false;
    }
    this.client = client;
    this.logger.log('This process now exports the cluster-wide job counts (metrics leader)');
    return true;
  }

  /** Ends a connection, and with it the lock if it held it (`reason` says why, for the log). */
  private drop(client: pg.Client, reason?: string): void {
    if (this.client === client) {
      this.client = undefined;
      if (!this.stopped) this.logger.warn(`Metrics leadership given up (${reason}); the next process scraped takes it over`);
    }
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
  }

  /** Each scrape pushes the step-down back; a leader nobody scrapes hands over, so that someone scraped exports. */
  private keepAlive(): void {
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.client) this.drop(this.client, `not scraped for ${LEADER_IDLE_MS / 1000} s`);
    }, LEADER_IDLE_MS).unref();
  }
}
