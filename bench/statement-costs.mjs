// What the hot path's statements cost from a client: the evidence behind README "Performance" for the targets of
// issue 7 that are not met (A1, B, C). Uses the statement texts of the build on the `pg` driver, one connection,
// nothing else running.
//
// - Enqueue: the single-job insert that also notifies (`insert-one`), back to back, as `JobsService.enqueue` sends
//   it but without Nest, validation or the returned `Job`: the driver's ceiling for A1.
// - Refill: `complete-and-claim` storing the results of the n jobs claimed by the previous call and claiming n more
//   (n + n rows), as a processor with n free slots sends it. Medians over --reps calls, with the server's durable
//   commit and, for comparison only, with `synchronous_commit = off` on this session (what the WAL flush costs;
//   never a setting for claims: a crash would forget them while their handlers run).
// - Claim scan: the pages the claim's index scan reads after 50,000 more claims without a vacuum, and again after a
//   VACUUM: claimed jobs leave dead entries at the head of `jobs_claim_idx` that every claim walks past until a
//   vacuum removes them.
// - Idle: the same client after 20 ms of silence (a C job arrives every 20 ms): `SELECT 1`, and a one-row write
//   with and without the flush.
//
//   node bench/statement-costs.mjs [--reps 300] [--pg-base URL] [--db bench_nest]
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import * as adapter from './adapter.mjs';
import { argsOf } from './bench-args.mjs';
import { dueJobIds } from '../dist/jobs/sql/claim-jobs.sql.js';
import { completeAndClaimJobsStatement } from '../dist/jobs/sql/complete-and-claim-jobs.sql.js';
import { insertJobStatement } from '../dist/jobs/sql/insert-job.sql.js';

const args = argsOf(process.argv.slice(2));
const reps = Number(args.reps ?? 300);
const base = args['pg-base'] ?? process.env.BENCH_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';
const connectionString = `${base}/${args.db ?? adapter.defaultDatabase}`;
const TABLE = '"jobs".jobs';
const SIZES = [1, 5, 10, 25, 50];

await adapter.setup({ connectionString }); // migrations
await adapter.close();
const client = new pg.Client({ connectionString });
await client.connect();
const CAP = Math.max(...SIZES);
const refill = completeAndClaimJobsStatement('jobs', TABLE, CAP);
const ms = (value) => value.toFixed(3);

/** Median time of `count` calls of `run`, each after `gapMs` of silence. */
async function medianMs(count, run, gapMs = 0) {
  const times = [];
  for (let i = 0; i < count; i++) {
    if (gapMs > 0) await sleep(gapMs);
    const startedAt = performance.now();
    await run();
    times.push(performance.now() - startedAt);
  }
  return times.sort((a, b) => a - b)[count >> 1];
}

const addPending = (count) =>
  client.query(`INSERT INTO ${TABLE} (name, payload) SELECT 'bench.noop', jsonb_build_object('i', g) FROM generate_series(1, $1) AS g`, [count]);

let held = [];
/** One refill of n + n rows: stores the results of the jobs the previous one claimed, claims n more. */
async function refillOnce(n) {
  const { rows } = await client.query({
    name: refill.name,
    text: refill.text,
    values: [['bench.noop'], n, 'bench:refill', 30_000, held.map((job) => job.id), held.map((job) => job.attempts), held.map(() => null)],
  });
  held = rows.filter((row) => !row.completed);
}

async function refillRounds(n, rounds) {
  for (let i = 0; i < rounds; i++) await refillOnce(n);
}

/** Median round trip of a refill of n + n rows, on a table of pending due jobs. */
async function refillMs(n) {
  await refillRounds(n, 20); // past the five custom plans, warm caches
  return medianMs(reps, () => refillOnce(n));
}

/** Median of a statement sent after 20 ms of silence each time. */
const idleMs = (text) => medianMs(Math.min(reps, 150), () => client.query({ name: text, text }), 20);

await client.query(`TRUNCATE ${TABLE}`);
// Each size claims (20 + reps) × n jobs, in each of the two commit modes.
const pending = 2 * (reps + 20) * SIZES.reduce((sum, n) => sum + n, 0) + 1_000;
await addPending(pending);
await client.query(`VACUUM ANALYZE ${TABLE}`);
const version = (await client.query('SHOW server_version')).rows[0].server_version;

let out = `PostgreSQL ${version}; ${reps} calls per size, medians; ${pending.toLocaleString('en-US')} pending jobs.\n\n`;
const insertOne = insertJobStatement('jobs', TABLE);
const enqueues = 5_000;
const enqueuedAt = performance.now();
for (let i = 0; i < enqueues; i++) {
  const payload = JSON.stringify({ i, t: Date.now() });
  await client.query({ name: insertOne.name, text: insertOne.text, values: ['bench.other', 'default', 0, payload, 3, null, null, null, 'bench_wake'] });
}
const enqueueRate = (enqueues / (performance.now() - enqueuedAt)) * 1000;
await client.query(`DELETE FROM ${TABLE} WHERE name = 'bench.other'`);
out += `Enqueue statement (\`insert-one\`, with its NOTIFY), back to back: ${Math.round(enqueueRate).toLocaleString('en-US')} jobs/s.\n\n`;
out += `| refill (n results stored + n jobs claimed) | ${SIZES.map((n) => `n = ${n}`).join(' | ')} |\n| --- |${SIZES.map(() => ' --- |').join('')}\n`;
for (const mode of ['on', 'off']) {
  await client.query(`SET synchronous_commit = ${mode}`);
  const cells = [];
  for (const n of SIZES) {
    await client.query(`VACUUM ${TABLE}`); // each size starts with a clean claim index (see the claim scan below)
    cells.push(`${ms(await refillMs(n))} ms`);
  }
  out += `| synchronous_commit = ${mode}${mode === 'off' ? ' (comparison only)' : ''} | ${cells.join(' | ')} |\n`;
}
await client.query('RESET synchronous_commit');

/** Pages the index scan of the claim's due rows (the build's query, 10 rows) reads, and the query's time. */
async function claimScan() {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${dueJobIds(TABLE, '', CAP)}`, [['bench.noop'], 10]);
  const [{ Plan: plan, 'Execution Time': executionMs }] = rows[0]['QUERY PLAN'];
  const scan = (node) => (node['Index Name'] ? node : node.Plans?.map(scan).find(Boolean));
  const found = scan(plan);
  return `${found['Shared Hit Blocks'] + found['Shared Read Blocks']} pages read by the scan of ${found['Index Name']}, ${ms(executionMs)} ms`;
}
const DEAD_HEAD_CLAIMS = 50_000;
await client.query(`VACUUM ${TABLE}`);
await addPending(DEAD_HEAD_CLAIMS + 1_000);
const fresh = await claimScan();
await refillRounds(50, DEAD_HEAD_CLAIMS / 50);
const beforeVacuum = await claimScan();
await client.query(`VACUUM ${TABLE}`);
out += `\nClaim scan on a vacuumed table: ${fresh}; after ${DEAD_HEAD_CLAIMS.toLocaleString('en-US')} claims without a vacuum: ${beforeVacuum}; `;
out += `after VACUUM: ${await claimScan()}.\n`;
const hotSelect = await medianMs(reps, () => client.query({ name: 'SELECT 1', text: 'SELECT 1' }));
out += `\nBack to back, \`SELECT 1\`: ${ms(hotSelect)} ms.\n\n`;
// A plain table (a temporary one writes no WAL, so nothing to flush).
await client.query('CREATE TABLE IF NOT EXISTS public.bench_idle_write (v int)');
const IDLE_WRITE = 'INSERT INTO public.bench_idle_write VALUES (1)';
const idle = { select: await idleMs('SELECT 1'), write: await idleMs(IDLE_WRITE) };
await client.query('SET synchronous_commit = off');
idle.writeAsync = await idleMs(IDLE_WRITE);
await client.query('RESET synchronous_commit');
await client.query('DROP TABLE public.bench_idle_write');
out += `After 20 ms idle: \`SELECT 1\` ${ms(idle.select)} ms; a one-row insert ${ms(idle.write)} ms durable, `;
out += `${ms(idle.writeAsync)} ms with synchronous_commit = off (comparison only).\n`;
await client.query(`TRUNCATE ${TABLE}`);
await client.end();
process.stdout.write(out);
