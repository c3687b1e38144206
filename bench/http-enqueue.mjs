// Enqueue over HTTP: POST /jobs against a bare Nest route (GET /bench/ok, same app, same global pipes, interceptors
// and guards), 32 keep-alive clients, alternating in one run. The server is the built app (bootstrap()) in an
// API-only process (JOBS_SERVER_DISABLED=true): it enqueues, and no processor competes for the CPU.
//   node bench/http-enqueue.mjs [--clients 32] [--seconds 5] [--reps 3] [--route bare|enqueue] [--pg-base URL] [--db bench_nest_http]
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';
import { measureRps } from './http-load.mjs';
import { argsOf, median } from './bench-args.mjs';

const args = argsOf(process.argv.slice(2));
const clients = Number(args.clients ?? 32);
const seconds = Number(args.seconds ?? 5);
const reps = Number(args.reps ?? 3);
const base = args['pg-base'] ?? process.env.BENCH_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';
const db = args.db ?? 'bench_nest_http';

async function ensureDatabase() {
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
  if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(db)}`);
  await client.end();
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startServer(port) {
  // BENCH_SERVER_PROF=<dir>: a CPU profile of the server (node --cpu-prof), written when it exits.
  const profile = process.env.BENCH_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROF] : [];
  const child = spawn(process.execPath, [...profile, new URL('./http-server.mjs', import.meta.url).pathname], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATABASE_URL: `${base}/${db}`, JOBS_SERVER_DISABLED: 'true', DEMO_JOBS: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const status = await fetch(`http://127.0.0.1:${port}/health`).then((res) => res.status, () => 0);
    if (status === 200) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the HTTP server did not become ready within 60 s');
}

const ROUTES = {
  bare: () => ({ method: 'GET', path: '/bench/ok', expect: [200] }),
  enqueue: () => ({ method: 'POST', path: '/jobs', body: `{"name":"bench.noop","payload":{"t":${Date.now()}}}`, expect: [201] }),
};

export async function runHttpBench() {
  await ensureDatabase();
  const port = await freePort();
  const server = await startServer(port);
  const pool = new pg.Pool({ connectionString: `${base}/${db}`, max: 1 });
  const samples = { bare: [], enqueue: [] };
  let errors = 0;
  try {
    await pool.query('TRUNCATE jobs.jobs');
    for (let rep = 1; rep <= reps; rep++) {
      // Alternate the order so that drift hits both routes alike.
      const order = rep % 2 ? ['bare', 'enqueue'] : ['enqueue', 'bare'];
      for (const route of order.filter((name) => !args.route || args.route === name)) {
        const result = await measureRps({ port, clients, seconds, warmupSeconds: 1, request: ROUTES[route] });
        samples[route].push(result.rps);
        errors += result.errors;
        console.error(`http rep ${rep} ${route}: ${Math.round(result.rps)} req/s (${result.errors} errors)`);
      }
    }
  } finally {
    server.kill('SIGTERM');
    await pool.end();
  }
  const bare = median(samples.bare);
  const enqueue = median(samples.enqueue);
  return { clients, seconds, reps, bare, enqueue, ratio: enqueue / bare, samples, errors };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runHttpBench();
  console.log(JSON.stringify(result));
}
