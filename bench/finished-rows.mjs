// B with a table full of history: the same drain (harness `drain`, 50k jobs), once on an empty jobs table and once
// with 1,000,000 completed jobs already in it (inserted with INSERT ... SELECT generate_series), alternating in one
// run. Finished jobs stay in the table with their results, so the claim must not slow down as they accumulate.
//   node bench/finished-rows.mjs --harness bench/.harness [--rows 1000000] [--n 50000] [--concurrency 50]
//                                [--processes 1] [--reps 3] [--pg-base URL]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import pg from 'pg';
import * as adapter from './adapter.mjs';
import { argsOf, median } from './bench-args.mjs';

const args = argsOf(process.argv.slice(2));
const harnessDir = resolve(args.harness ?? new URL('./.harness', import.meta.url).pathname);
const rows = Number(args.rows ?? 1_000_000);
const n = Number(args.n ?? 50_000);
const concurrency = Number(args.concurrency ?? 50);
const processes = Number(args.processes ?? 1);
const reps = Number(args.reps ?? 3);
const base = args['pg-base'] ?? process.env.BENCH_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';
const db = args.db ?? adapter.defaultDatabase;
const connectionString = `${base}/${db}`;
const TABLE = 'jobs.jobs';

/** The finished history: completed jobs with a result, as a busy installation keeps them until the prune. */
async function insertHistory(pool) {
  await pool.query(`TRUNCATE ${TABLE}`);
  await pool.query(
    `INSERT INTO ${TABLE} (name, queue, status, payload, result, attempts, max_attempts, run_at, worker_id, progress,
                           created_at, started_at, finished_at)
     SELECT 'bench.noop', 'default', 'completed', jsonb_build_object('i', g, 't', 0), '{"ok":true}'::jsonb, 1, 3,
            now() - interval '1 hour', 'bench:history', 100, now() - interval '1 hour', now() - interval '1 hour', now()
       FROM generate_series(1, $1) AS g`,
    [rows],
  );
  await pool.query(`VACUUM ANALYZE ${TABLE}`);
  const { rows: [{ max }] } = await pool.query(`SELECT max(id)::text AS max FROM ${TABLE}`);
  return max;
}

/** The adapter, except that `reset` keeps the history and removes only what earlier drains added. */
const withHistory = (pool, lastHistoryId) => ({
  ...adapter,
  async reset() {
    await pool.query(`DELETE FROM ${TABLE} WHERE id > $1`, [lastHistoryId]);
    await pool.query(`VACUUM ANALYZE ${TABLE}`);
  },
  async pending() {
    const { rows: [row] } = await pool.query(`SELECT count(*)::int AS n FROM ${TABLE} WHERE status IN ('pending', 'processing')`);
    return row.n;
  },
  async verify(expected) {
    const { rows: [row] } = await pool.query(
      `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status IN ('pending', 'processing'))::int AS remaining,
              count(*) FILTER (WHERE status IN ('failed', 'cancelled'))::int AS failed
         FROM ${TABLE} WHERE id > $1`,
      [lastHistoryId],
    );
    return { ok: row.completed === expected && row.remaining === 0 && row.failed === 0, ...row };
  },
});

export async function runFinishedRowsBench() {
  const harness = await import(pathToFileURL(`${harnessDir}/lib/harness.mjs`).href);
  await adapter.setup({ connectionString });
  const pool = new pg.Pool({ connectionString, max: 2 });
  const ctx = { adapterFile: new URL('./adapter.mjs', import.meta.url).href, connectionString };
  const params = { n, concurrency, processes, profile: adapter.defaultProfile };
  const samples = { empty: [], history: [] };
  try {
    for (let rep = 1; rep <= reps; rep++) {
      for (const variant of rep % 2 ? ['empty', 'history'] : ['history', 'empty']) {
        let subject = adapter;
        if (variant === 'history') subject = withHistory(pool, await insertHistory(pool));
        const result = await harness.drain(subject, ctx, params);
        if (!result.ok) throw new Error(`drain (${variant}) failed: ${JSON.stringify(result.verify)}`);
        samples[variant].push(result.value);
        console.error(`finished-rows rep ${rep} ${variant}: ${Math.round(result.value)} jobs/s`);
      }
    }
  } finally {
    await pool.query(`TRUNCATE ${TABLE}`);
    await pool.end();
    await adapter.close();
  }
  const empty = median(samples.empty);
  const history = median(samples.history);
  return { rows, n, concurrency, processes, reps, empty, history, ratio: history / empty, samples };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await runFinishedRowsBench()));
}
