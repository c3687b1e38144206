import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT, http, startAppProcess, type AppProcess } from '../../support/app-process.js';
import { startPrivateCluster, type PrivateCluster } from '../../support/private-cluster.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { waitFor } from '../../support/wait-for.js';
import { concurrentExecutions, createExecutionLedger, executionCount, recordFreeze, recordThaw } from './execution-ledger.js';
import type { FaultFigures } from './fault-figures.js';
import { LEASE_MS, SWEEP_MS } from './fault-profile.js';

/** The built server plus the fault suite's handlers (test/fixtures/fault-server.mjs). */
export const FAULT_ENTRY = path.join(PROJECT_ROOT, 'test/fixtures/fault-server.mjs');
const LIBFAKETIME = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/faketime/libfaketimeMT.so.1'];

export interface ServerOptions {
  /** Environment beside the defaults (short lease, quick sweep and poll, warn-level logs). */
  env?: Record<string, string>;
  /** A libfaketime offset such as `-1h`: the process's clocks run shifted by it (`faketime` from apt). */
  faketime?: string;
  /** When it dies unasked (crash, watchdog), start another like it, as an orchestrator would. */
  restartOnDeath?: boolean;
  waitReady?: boolean;
}

export interface JobServer {
  app: AppProcess;
  options: ServerOptions;
  /** The harness asked it to stop (so its exit is no death). */
  stopping: boolean;
  exited: boolean;
}

/**
 * One fault scenario's world: a fresh database (on the shared test server, or on a private cluster for scenarios
 * that restart, crash or starve Postgres), an API process to enqueue through, job servers running the fault
 * fixture, and the ledger of executions, exits and freezes the figures are computed from.
 */
export class FaultHarness {
  readonly servers: JobServer[] = [];
  private readonly expected = new Map<string, 'completed' | 'failed'>();
  private readonly pendingRecords = new Set<Promise<void>>();
  private faultAt?: Date;
  private closing = false;
  private api!: AppProcess;

  private constructor(
    readonly database: TestDatabase,
    readonly cluster: PrivateCluster | undefined,
  ) {}

  static async start(options: { privateCluster?: boolean } = {}): Promise<FaultHarness> {
    const cluster = options.privateCluster ? await startPrivateCluster() : undefined;
    const database = await createTestDatabase(cluster?.url);
    const harness = new FaultHarness(database, cluster);
    await createExecutionLedger(database);
    harness.api = await startAppProcess({
      entry: FAULT_ENTRY,
      env: { DATABASE_URL: database.url, DEMO_JOBS: 'false', JOBS_SERVER_DISABLED: 'true' },
    });
    return harness;
  }

  get jobIds(): string[] {
    return [...this.expected.keys()];
  }

  get alive(): JobServer[] {
    return this.servers.filter((server) => !server.exited);
  }

  async startServer(options: ServerOptions = {}): Promise<JobServer> {
    const env: Record<string, string> = {
      DATABASE_URL: this.database.url,
      DEMO_JOBS: 'false',
      ONLY_JOB_SERVER: 'true',
      JOBS_CONCURRENCY: '8',
      JOBS_LEASE_MS: String(LEASE_MS),
      JOBS_SWEEP_INTERVAL_MS: String(SWEEP_MS),
      JOBS_POLL_INTERVAL_MS: '200',
      JOBS_SHUTDOWN_GRACE_MS: '1000',
      ...options.env,
    };
    if (options.faketime) Object.assign(env, { LD_PRELOAD: libfaketime(), FAKETIME: options.faketime });
    const app = await startAppProcess({ entry: FAULT_ENTRY, env, waitReady: options.waitReady ?? true });
    const server: JobServer = { app, options, stopping: false, exited: false };
    this.servers.push(server);
    // Registered before anyone awaits the exit: the record is tracked by the time `kill` or `terminate` resume.
    void app.exited.then(() => {
      server.exited = true;
      const exitedAt = performance.now();
      this.track(
        (async () => {
          await this.retrying(() =>
            this.database.query(
              `INSERT INTO fault_process_exits (pid, exited_at) VALUES ($1, clock_timestamp() - make_interval(secs => $2))`,
              [app.pid, (performance.now() - exitedAt) / 1000],
            ),
          );
          if (!server.stopping && options.restartOnDeath && !this.closing) await this.startServer({ ...options, waitReady: false });
        })(),
      );
    });
    return server;
  }

  /** SIGKILL; resolves once the exit is recorded. */
  async kill(server: JobServer): Promise<void> {
    server.stopping = true;
    await server.app.stop('SIGKILL');
    await this.flushRecords();
  }

  /** SIGTERM (drain); resolves once the process has exited. */
  async terminate(server: JobServer): Promise<void> {
    server.stopping = true;
    await server.app.stop('SIGTERM');
    await this.flushRecords();
  }

  async freeze(server: JobServer): Promise<void> {
    process.kill(server.app.pid, 'SIGSTOP');
    await recordFreeze(this.database, server.app.pid);
  }

  async thaw(server: JobServer): Promise<void> {
    await recordThaw(this.database, server.app.pid);
    process.kill(server.app.pid, 'SIGCONT');
  }

  /** Enqueues `count` jobs over HTTP; `expect` is the final status they must reach. */
  async enqueue(
    payload: object,
    count: number,
    options: { name?: string; maxAttempts?: number; expect?: 'completed' | 'failed' } = {},
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; offset < count; offset += 500) {
      const jobs = Array.from({ length: Math.min(500, count - offset) }, () => ({
        name: options.name ?? 'fault.work',
        payload,
        ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      }));
      const response = await http(this.api.baseUrl, 'POST', '/jobs/batch', { jobs });
      if (response.status !== 201) throw new Error(`enqueue answered ${response.status}: ${JSON.stringify(response.body)}`);
      for (const job of response.body.jobs as Array<{ id: string }>) {
        ids.push(job.id);
        this.expected.set(job.id, options.expect ?? 'completed');
      }
    }
    return ids;
  }

  /** Call right before applying the (last) fault: recovery is measured from this moment (database clock). */
  async markFault(): Promise<void> {
    [{ at: this.faultAt }] = await this.database.query<{ at: Date }>(`SELECT clock_timestamp() AS at`);
  }

  async count(where: string, ids = this.jobIds): Promise<number> {
    const [row] = await this.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs.jobs WHERE id = ANY($1::bigint[]) AND ${where}`, [ids]);
    return row.n;
  }

  /** Runs (executions started) of these jobs on this server so far. */
  async runningOn(server: JobServer): Promise<number> {
    const [row] = await this.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM test_executions WHERE pid = $1 AND ended_at IS NULL`,
      [server.app.pid],
    );
    return row.n;
  }

  /** Executions of these jobs logged so far. */
  executions(ids: string[]): Promise<number> {
    return executionCount(this.database, ids);
  }

  /** Waits until no job is pending or processing (or the time is up: the rest count as lost). */
  async waitAllFinal(timeoutMs: number): Promise<void> {
    await waitFor('every job to finish', async () => (await this.count(`status IN ('pending', 'processing')`)) === 0, {
      timeoutMs,
      intervalMs: 200,
    }).catch(() => undefined);
  }

  /** Lets logged executions close, then drains every server, so that no execution is left open by a live one. */
  async settle(): Promise<void> {
    await waitFor(
      'executions of live servers to log their end',
      async () => {
        const pids = this.alive.map((server) => server.app.pid);
        const [row] = await this.database.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM test_executions WHERE ended_at IS NULL AND pid = ANY($1::int[])`,
          [pids],
        );
        return row.n === 0;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    ).catch(() => undefined);
    this.closing = true;
    await Promise.all(this.alive.map((server) => this.terminate(server)));
    await this.flushRecords();
  }

  async figures(scenario: string, startedAt: number, notes: string): Promise<FaultFigures> {
    const ids = this.jobIds;
    const rows = await this.database.query<{ id: string; status: string }>(`SELECT id::text, status FROM jobs.jobs WHERE id = ANY($1::bigint[])`, [ids]);
    const status = new Map(rows.map((row) => [row.id, row.status]));
    const pairs = await concurrentExecutions(this.database);
    const outputs = this.servers.map((server) => server.app.output()).join('\n');
    let recoveryMs: number | null = null;
    if (this.faultAt) {
      const [row] = await this.database.query<{ ms: number | null }>(
        `SELECT (extract(epoch FROM max(j.finished_at) - $2::timestamptz) * 1000)::float8 AS ms FROM jobs.jobs j
          WHERE j.id = ANY($1::bigint[]) AND EXISTS (SELECT 1 FROM test_executions e WHERE e.job_id = j.id AND e.started_at < $2)`,
        [ids, this.faultAt],
      );
      recoveryMs = row.ms === null ? null : Math.max(0, Math.round(row.ms));
    }
    return {
      scenario,
      enqueued: ids.length,
      completed: rows.filter((row) => row.status === 'completed').length,
      failed: rows.filter((row) => row.status === 'failed').length,
      lost: ids.filter((id) => status.get(id) !== this.expected.get(id)).length,
      runs: await executionCount(this.database, ids),
      concurrent: new Set(pairs.map((pair) => pair.job_id)).size,
      lateWrites: (outputs.match(/Late write rejected/g) ?? []).length,
      deaths: this.servers.filter((server) => server.exited && !server.stopping).length,
      recoveryMs,
      durationMs: Math.round(performance.now() - startedAt),
      notes,
    };
  }

  /** The jobs that went wrong and the tail of every server's output, for a failing scenario. */
  async diagnostics(): Promise<string> {
    const wrong = await this.database.query(
      `SELECT id, status, attempts, errors FROM jobs.jobs WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'processing') LIMIT 5`,
      [this.jobIds],
    );
    const pairs = (await concurrentExecutions(this.database)).slice(0, 5);
    const executions = pairs.length
      ? await this.database.query(`SELECT * FROM test_executions WHERE job_id = ANY($1::bigint[]) ORDER BY job_id, started_at`, [pairs.map((pair) => pair.job_id)])
      : [];
    const tails = this.servers.map((server) => `--- server ${server.app.pid} ---\n${server.app.output().slice(-3000)}`);
    return [JSON.stringify({ wrong, pairs, executions }, null, 1), ...tails].join('\n');
  }

  async destroy(): Promise<void> {
    this.closing = true;
    await Promise.all([this.api, ...this.servers.map((server) => server.app)].map((app) => app?.stop('SIGKILL')));
    await this.flushRecords().catch(() => undefined);
    await this.database.drop().catch(() => undefined);
    await this.cluster?.destroy();
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error) => console.error(`fault harness: ${(error as Error).message}`));
    this.pendingRecords.add(tracked);
    void tracked.finally(() => this.pendingRecords.delete(tracked));
  }

  private async flushRecords(): Promise<void> {
    while (this.pendingRecords.size > 0) await Promise.all([...this.pendingRecords]);
  }

  /** The database may be down (the scenario stopped it): retried until it answers. */
  private async retrying<T>(action: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await action();
      } catch (error) {
        if (attempt >= 600) throw error;
        await sleep(200);
      }
    }
  }
}

function libfaketime(): string {
  const found = LIBFAKETIME.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('libfaketime is missing: install it with `apt-get install -y faketime`');
  return found;
}
