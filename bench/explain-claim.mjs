// EXPLAIN (ANALYZE, BUFFERS) of the claim statements with 1,000,000 finished jobs and 50,000 pending ones in the
// table, using the statement texts of the build; the statements run inside a transaction that is rolled back.
// Prints markdown (docs/claim-query-plan.md is its output).
//   node bench/explain-claim.mjs [--rows 1000000] [--pending 50000] [--pg-base URL] [--db bench_nest]
import pg from 'pg';
import * as adapter from './adapter.mjs';
import { argsOf } from './bench-args.mjs';
import { claimJobsStatement } from '../dist/jobs/sql/claim-jobs.sql.js';
import { completeAndClaimJobsStatement } from '../dist/jobs/sql/complete-and-claim-jobs.sql.js';

const args = argsOf(process.argv.slice(2));
const rows = Number(args.rows ?? 1_000_000);
const pending = Number(args.pending ?? 50_000);
const base = args['pg-base'] ?? process.env.BENCH_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';
const connectionString = `${base}/${args.db ?? adapter.defaultDatabase}`;
const TABLE = '"jobs".jobs';

await adapter.setup({ connectionString }); // migrations
await adapter.close();
const client = new pg.Client({ connectionString });
await client.connect();
await client.query(`TRUNCATE ${TABLE}`);
await client.query(
  `INSERT INTO ${TABLE} (name, status, payload, result, attempts, worker_id, progress, started_at, finished_at)
   SELECT 'bench.noop', 'completed', jsonb_build_object('i', g), '{"ok":true}', 1, 'bench:history', 100, now(), now()
     FROM generate_series(1, $1) AS g`,
  [rows],
);
await client.query(`INSERT INTO ${TABLE} (name, payload) SELECT 'bench.noop', jsonb_build_object('i', g) FROM generate_series(1, $1) AS g`, [pending]);
await client.query(`VACUUM ANALYZE ${TABLE}`);
const version = (await client.query('SHOW server_version')).rows[0].server_version;

async function explain(title, statement, values) {
  await client.query('BEGIN');
  // With its parameters bound, as the processor's named statement runs it: Postgres plans the claim per execution
  // (its LIMIT makes every generic plan look worse), so this is the plan it gets.
  const { rows: plan } = await client.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, values });
  await client.query('ROLLBACK');
  return `### ${title}\n\n\`\`\`\n${plan.map((row) => row['QUERY PLAN']).join('\n')}\n\`\`\`\n`;
}

const claim = claimJobsStatement('jobs', TABLE, 50);
const both = completeAndClaimJobsStatement('jobs', TABLE, 50);
const worker = 'bench:explain';
const out = [
  `PostgreSQL ${version}; ${rows.toLocaleString('en-US')} completed jobs and ${pending.toLocaleString('en-US')} pending ones; VACUUM ANALYZE done.\n`,
  await explain('claim, 50 jobs (`claim-jobs.sql.ts`)', claim, [['bench.noop'], 50, worker, 30000]),
];
// The combined statement completes jobs this worker holds: claim 50 first, then complete those while claiming 50 more.
await client.query('BEGIN');
const held = (await client.query({ text: claim.text, values: [['bench.noop'], 50, worker, 30000] })).rows;
await client.query('COMMIT');
out.push(
  await explain('complete 50 and claim 50 (`complete-and-claim-jobs.sql.ts`)', both, [
    ['bench.noop'],
    50,
    worker,
    30000,
    held.map((row) => row.id),
    held.map((row) => row.attempts),
    held.map(() => null),
  ]),
);
await client.query(`TRUNCATE ${TABLE}`);
await client.end();
console.log(out.join('\n'));
