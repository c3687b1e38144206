// Benchmark adapter for the job-queue harness (../shared/bench, see its README "Adding a system"): this project's
// JobsModule, JobsService and @JobHandler from the build (dist/), inside a Nest application context, the way an
// application uses them. Run through `npm run bench` (bench/run.mjs).
import { readFileSync } from 'node:fs';
import { JobsService } from '../dist/jobs/index.js';
import { JOB_NAME, connectDataSource, createJobsContext } from './nest-context.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

export const name = 'nest-pg-jobs';
export const version = pkg.version;
export const defaultDatabase = 'bench_nest';
/** `concurrency` = JOBS_CONCURRENCY of one job server (handlers in flight per process). */
export const profiles = { default: (concurrency) => ({ concurrency }) };
export const defaultProfile = 'default';

const TABLE = 'jobs.jobs';
let context;
let dataSource;
let jobs;

// ------------------------------------------------------------------ producer side (harness process)
/** An application with processing disabled (JOBS_SERVER_DISABLED): it only enqueues. Runs the migrations. */
export async function setup({ connectionString }) {
  dataSource = await connectDataSource(connectionString);
  context = await createJobsContext({ dataSource: async () => dataSource, processing: { enabled: false } });
  jobs = context.get(JobsService);
  await jobs.whenReady();
  await reset();
}

export async function reset() {
  await dataSource.query(`TRUNCATE ${TABLE}`);
}

/** One `JobsService.enqueue` per job, as a feature module calls it. */
export async function enqueueOne(payload) {
  await jobs.enqueue(JOB_NAME, payload);
}

/** `JobsService.enqueueMany`: one statement per call. */
export async function enqueueBatch(payloads) {
  await jobs.enqueueMany(payloads.map((payload) => ({ name: JOB_NAME, payload })));
}

export async function pending() {
  const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM ${TABLE} WHERE status IN ('pending', 'processing')`);
  return row.n;
}

/** Completed jobs stay in the table with their results. */
export async function verify(expected) {
  const rows = await dataSource.query(`SELECT status, count(*)::int AS n FROM ${TABLE} GROUP BY 1`);
  const by = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  const completed = by.completed ?? 0;
  const remaining = (by.pending ?? 0) + (by.processing ?? 0);
  const failed = (by.failed ?? 0) + (by.cancelled ?? 0);
  return { ok: completed === expected && remaining === 0 && failed === 0, completed, remaining, failed, states: by };
}

export async function analyze() {
  await dataSource.query(`ANALYZE ${TABLE}`);
}

export async function close() {
  await context?.close();
  await dataSource?.destroy();
  context = dataSource = jobs = undefined;
}

// ------------------------------------------------------------------ worker side (lib/worker-proc.mjs children)
/**
 * A job server (processing enabled) whose context is built and connected before the clock starts; the module
 * becomes ready, and the processor starts claiming, when `start()` hands it the DataSource. The producer ran the
 * migrations, so the job server skips them (`migrationsRun: false`, as a deployment that migrates separately).
 */
export async function createWorker({ connectionString, concurrency, profile = defaultProfile, handler }) {
  const options = profiles[profile](concurrency);
  const connected = await connectDataSource(connectionString);
  let go;
  const started = new Promise((resolve) => (go = resolve));
  const worker = await createJobsContext({
    dataSource: async () => {
      await started;
      return connected;
    },
    migrationsRun: false,
    processing: { enabled: true, ...options },
    handle: handler,
  });
  const service = worker.get(JobsService);
  return {
    describe: { ...options, poolSize: 10 },
    async start() {
      go();
      await service.whenReady();
    },
    async stop() {
      await worker.close();
      await connected.destroy();
    },
  };
}
