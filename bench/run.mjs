// `npm run bench`: the job-queue harness (graphile-worker, pg-boss and this project's adapter, side by side in one
// run), then the two measurements the harness has no case for (a drain with 1M finished jobs in the table, and
// POST /jobs against a bare route over HTTP), then the targets of issue 7 judged from those numbers.
//
// The harness is not on npm: it is copied from BENCH_HARNESS_DIR (default ../shared/bench, next to the checkout or
// next to its worktree folder) into bench/.harness/ (git-ignored) and installed there with `npm ci`; it brings
// Node 22 (the npm package node@22), which runs everything below.
//
//   npm run bench                                  # everything (12–20 minutes on 2 cores)
//   npm run bench -- --only A1,C --scale 0.2 --reps 1 --skip-history --skip-http
// Other options go to the harness (see its README): --only, --scale, --reps, --pg-base, --snapshots.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argsOf } from './bench-args.mjs';
import { judgeTargets } from './targets.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '..');
const harnessDir = join(benchDir, '.harness');
const argv = process.argv.slice(2);
const args = argsOf(argv);
const OWN = new Set(['--skip-history', '--skip-http', '--history-rows']);

function harnessSource() {
  const candidates = process.env.BENCH_HARNESS_DIR
    ? [resolve(process.env.BENCH_HARNESS_DIR)]
    : [resolve(root, '../shared/bench'), resolve(root, '../../shared/bench')];
  const found = candidates.find((dir) => existsSync(join(dir, 'run.mjs')));
  if (!found) throw new Error(`Benchmark harness not found in ${candidates.join(' or ')}; set BENCH_HARNESS_DIR`);
  return found;
}

/** Copies the harness (not its node_modules or results) and installs it when its lock file changed. */
function prepareHarness() {
  const source = harnessSource();
  const lockOf = (dir) => (existsSync(join(dir, 'package-lock.json')) ? readFileSync(join(dir, 'package-lock.json'), 'utf8') : '');
  const stale = lockOf(source) !== lockOf(harnessDir) || !existsSync(join(harnessDir, 'node_modules'));
  mkdirSync(harnessDir, { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry === 'node_modules' || entry === 'results') continue;
    cpSync(join(source, entry), join(harnessDir, entry), { recursive: true, force: true });
  }
  execFileSync('chmod', ['-R', 'u+w', harnessDir]);
  if (stale) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: harnessDir, stdio: 'inherit' });
  const node = join(harnessDir, 'node_modules/.bin/node');
  // npm may skip the node package's install script (allowScripts): its README's fix.
  if (!existsSync(node)) execFileSync('npm', ['rebuild', 'node'], { cwd: harnessDir, stdio: 'inherit' });
  return node;
}

function run(node, script, scriptArgs, cwd) {
  const result = spawnSync(node, [script, ...scriptArgs], { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${script} exited with ${result.status}`);
  return result.stdout;
}

function main() {
  if (!existsSync(join(root, 'dist/jobs/index.js'))) throw new Error('No build: run `npm run build` first (npm run bench does)');
  const node = prepareHarness();
  const tag = `nest-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const harnessArgs = [];
  for (let i = 0; i < argv.length; i++) {
    if (OWN.has(argv[i])) {
      if (argv[i] === '--history-rows') i++;
      continue;
    }
    harnessArgs.push(argv[i]);
  }
  const adapterPath = join(benchDir, 'adapter.mjs');
  const stdout = run(node, 'run.mjs', ['--adapters', `graphile-worker,pg-boss,${adapterPath}`, '--tag', tag, ...harnessArgs], harnessDir);
  const table = stdout.slice(stdout.indexOf('\nNode ') + 1, stdout.indexOf('\nresults: '));
  const jsonl = readdirSync(join(harnessDir, 'results')).find((file) => file.endsWith(`${tag}.jsonl`));
  const lines = readFileSync(join(harnessDir, 'results', jsonl), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const medians = lines.filter((line) => line.type === 'median');
  const reps = String(args.reps ?? 3);
  const common = ['--reps', reps, ...(args['pg-base'] ? ['--pg-base', String(args['pg-base'])] : [])];

  let history;
  if (!args['skip-history']) {
    const scale = Number(args.scale ?? 1);
    const historyArgs = ['--harness', harnessDir, '--n', String(Math.max(1000, Math.round(50_000 * scale))), '--rows', String(args['history-rows'] ?? 1_000_000), ...common];
    history = JSON.parse(run(node, join(benchDir, 'finished-rows.mjs'), historyArgs, root).trim().split('\n').pop());
  }
  let http;
  if (!args['skip-http']) http = JSON.parse(run(node, join(benchDir, 'http-enqueue.mjs'), common, root).trim().split('\n').pop());

  const adapterName = 'nest-pg-jobs';
  let md = `${table.trim()}\n`;
  if (history) {
    md += `\nB with history: drain ${history.n.toLocaleString('en-US')} jobs, 1 process × concurrency ${history.concurrency}, medians of ${history.reps}: ` +
      `empty table ${Math.round(history.empty)} jobs/s, with ${history.rows.toLocaleString('en-US')} completed jobs ${Math.round(history.history)} jobs/s\n`;
  }
  if (http) {
    md += `\nHTTP, ${http.clients} keep-alive clients, ${http.seconds} s per phase, medians of ${http.reps}: GET /bench/ok (bare) ` +
      `${Math.round(http.bare)} req/s, POST /jobs ${Math.round(http.enqueue)} req/s\n`;
  }
  md += `\n## Targets (issue 7), ${adapterName} against graphile-worker in this run\n\n${judgeTargets({ medians, adapterName, history, http })}`;
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  const out = join(benchDir, 'results', `${tag}.md`);
  writeFileSync(out, md);
  console.log(`\n${md}\nwritten to ${out}`);
}

main();
