// EXPLAIN (ANALYZE, BUFFERS) of the claim statements with 1,000,000 finished jobs and 50,000 pending ones in the
// table, using the statement texts of the build; the statements run inside a transaction that is rolled back.
// Prints markdown (docs/claim-query-plan.md is its output).
//   node bench/explain-claim.mjs [--rows 1000000] [--pending 50000] [--pg-base URL] [--db bench_nest]
import pg from 'pg';
import { prepareValue } from 'pg/lib/utils.js';
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

/**
 * The plan Postgres uses for the processor's named statement: prepared with its parameter types, executed 5 times
 * (Postgres plans the first five executions one by one, then keeps a generic plan when it looks no costlier), then
 * explained on the sixth, all inside a transaction that is rolled back. Reports which kind of plan the sixth got.
 */
async function explain(title, statement, types, values) {
  const literals = values.map((value, index) => `${client.escapeLiteral(String(prepareValue(value)))}::${types[index]}`);
  await client.query('BEGIN');
  await client.query(`PREPARE explained(${types.join(', ')}) AS ${statement.text}`);
  for (let run = 0; run < 5; run++) {
    await client.query('SAVEPOINT run');
    await client.query(`EXECUTE explained(${literals.join(', ')})`);
    await client.query('ROLLBACK TO SAVEPOINT run');
  }
  const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE explained(${literals.join(', ')})`);
  const [kinds] = (await client.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'explained'`)).rows;
  await client.query('ROLLBACK');
  await client.query('DEALLOCATE explained');
  return `### ${title}\n\nPlans so far: ${kinds.custom_plans} custom (the first five), ${kinds.generic_plans} generic (this one).\n\n\`\`\`\n${plan.map((row) => row['QUERY PLAN']).join('\n')}\n\`\`\`\n`;
}

const claim = claimJobsStatement('jobs', TABLE, 50);
const both = completeAndClaimJobsStatement('jobs', TABLE, 50);
const worker = 'bench:explain';
const CLAIM_TYPES = ['text[]', 'int', 'text', 'int'];
const out = [
  `PostgreSQL ${version}; ${rows.toLocaleString('en-US')} completed jobs and ${pending.toLocaleString('en-US')} pending ones; VACUUM ANALYZE done.\n`,
  await explain('claim, 50 jobs (`claim-jobs.sql.ts`)', claim, CLAIM_TYPES, [['bench.noop'], 50, worker, 30000]),
];
// The combined statement completes jobs this worker holds: claim 50 first, then complete those while claiming 50 more.
await client.query('BEGIN');
const held = (await client.query({ text: claim.text, values: [['bench.noop'], 50, worker, 30000] })).rows;
await client.query('COMMIT');
out.push(
  await explain('complete 50 and claim 50 (`complete-and-claim-jobs.sql.ts`)', both, [...CLAIM_TYPES, 'bigint[]', 'int[]', 'jsonb[]'], [
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
