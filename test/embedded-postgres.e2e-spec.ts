import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, chmod, cp, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../src/database/embedded/embedded-postgres.launcher.js';
import { embeddedPostgresNativeDir, locatePostgresBinaries } from '../src/database/embedded/postgres-binaries.js';
import { findBlockingDirectory, resolvePostgresUser } from '../src/database/embedded/postgres-user-access.js';
import { postmasterPidPath, readPostmasterPid } from '../src/database/embedded/postmaster-pid.js';
import { isRunning, listServerProcesses } from '../src/database/embedded/server-processes.js';
import { startPrivateCluster, type PrivateCluster } from './support/private-cluster.js';

const execFileAsync = promisify(execFile);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The kill -9 test needs a real separate Node process, which runs the compiled launcher. */
const compiledLauncher = path.join(projectRoot, 'dist/database/embedded/embedded-postgres.launcher.js');
const isRoot = userInfo().uid === 0;

const handles: EmbeddedPostgresHandle[] = [];
const clusters: PrivateCluster[] = [];
const children: ChildProcess[] = [];
const cleanupDirs: string[] = [];
let workDir: string;

async function queryOne<T>(url: string, sql: string, params: unknown[] = []): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0] as T;
  } finally {
    await client.end();
  }
}

async function start(dataDir: string, logs: string[] = []): Promise<EmbeddedPostgresHandle> {
  const handle = await startEmbeddedPostgres({ dataDir, log: (message) => logs.push(message), debug: () => undefined });
  handles.push(handle);
  return handle;
}

async function postmastersOf(dataDir: string): Promise<number[]> {
  const servers = await listServerProcesses(await realpath(dataDir));
  return servers.filter((server) => server.isPostmaster).map((server) => server.pid);
}

/** Starts the compiled launcher in a child Node process and resolves with what it prints once ready. */
function launchInChild(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const script = [
    `import { startEmbeddedPostgres } from ${JSON.stringify(pathToFileURL(compiledLauncher).href)};`,
    'const handle = await startEmbeddedPostgres({ dataDir: process.argv[1], log: () => undefined });',
    'process.stdout.write(JSON.stringify({ port: handle.port }) + "\\n");',
    'setInterval(() => undefined, 60_000);',
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve({ child, port: (JSON.parse(stdout) as { port: number }).port });
    });
    child.once('exit', (code) => reject(new Error(`launcher child exited (${code}): ${stderr}`)));
  });
}

beforeAll(async () => {
  await access(compiledLauncher).catch(() => {
    throw new Error(`${compiledLauncher} is missing: run \`npx tsc -p tsconfig.build.json\` before this spec.`);
  });
  workDir = await mkdtemp(path.join(tmpdir(), 'embedded-pg-spec-'));
  // mkdtemp makes it 700; as root the postgres user must be able to enter it.
  await chmod(workDir, 0o755);
  cleanupDirs.push(workDir);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(handles.map((handle) => handle.stop()));
  await Promise.all(clusters.map((cluster) => cluster.destroy()));
  await Promise.all(cleanupDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('startEmbeddedPostgres', () => {
  it('initialises a cluster, creates the database and answers on a loopback port other than 5432', async () => {
    const dataDir = path.join(workDir, 'basic');
    const logs: string[] = [];
    const handle = await start(dataDir, logs);

    expect(handle.port).not.toBe(5432);
    expect(handle.dataDir).toBe(dataDir);
    expect(handle.url).toBe(`postgres://postgres@127.0.0.1:${handle.port}/jobs`);
    const row = await queryOne<{ one: number; db: string }>(handle.url, 'select 1 as one, current_database() as db');
    expect(row).toEqual({ one: 1, db: 'jobs' });
    expect(logs.some((line) => line.includes('creating a new cluster'))).toBe(true);

    await handle.stop();
    await handle.stop();
    expect(await postmastersOf(dataDir)).toEqual([]);
    await expect(access(postmasterPidPath(dataDir))).rejects.toThrow();
  });

  it('after a kill -9 of the launching process, stops the postmaster it left and starts exactly one', async () => {
    const dataDir = path.join(workDir, 'killed');
    const { child, port } = await launchInChild(dataDir);
    const orphan = (await readPostmasterPid(dataDir))?.pid as number;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(isRunning(orphan)).toBe(true);
    expect((await readPostmasterPid(dataDir))?.port).toBe(port);

    const logs: string[] = [];
    const handle = await start(dataDir, logs);

    expect(await queryOne(handle.url, 'select 1 as one')).toEqual({ one: 1 });
    expect(isRunning(orphan)).toBe(false);
    const postmasters = await postmastersOf(dataDir);
    expect(postmasters).toEqual([(await readPostmasterPid(dataDir))?.pid]);
    expect(postmasters).not.toContain(orphan);
    expect(logs.some((line) => line.includes(`postmaster (PID ${orphan}) is still running`))).toBe(true);
    await handle.stop();
  });

  it('starts despite a stale postmaster.pid naming a live unrelated process or another cluster, and leaves those alone', async () => {
    const dataDir = path.join(workDir, 'stale');
    await (await start(dataDir)).stop();
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 60_000)'], { stdio: 'ignore' });
    children.push(sleeper);
    const other = await startPrivateCluster();
    clusters.push(other);
    const otherPostmaster = (await readPostmasterPid(other.dataDir))?.pid as number;

    for (const pid of [sleeper.pid as number, otherPostmaster, 1, process.pid]) {
      const stale = `${pid}\n${dataDir}\n1700000000\n5999\n\n127.0.0.1\n  1234  5678\nready   \n`;
      await writeFile(postmasterPidPath(dataDir), stale);
      const handle = await start(dataDir);
      expect(await queryOne(handle.url, 'select 1 as one')).toEqual({ one: 1 });
      await handle.stop();
    }

    expect(isRunning(sleeper.pid as number)).toBe(true);
    expect(isRunning(otherPostmaster)).toBe(true);
    expect(await queryOne(other.url, 'select 1 as one')).toEqual({ one: 1 });
  });

  it.skipIf(!isRoot)('as root, relocates a data folder the postgres user cannot reach', async () => {
    const cloneLike = await mkdtemp('/root/tmp-embedded-check-');
    cleanupDirs.push(cloneLike);
    const requested = path.join(cloneLike, '.data', 'postgres');
    const logs: string[] = [];
    const handle = await start(requested, logs);
    cleanupDirs.push(handle.dataDir);

    expect(handle.dataDir).not.toBe(requested);
    expect(logs.some((line) => line.includes('/root is not searchable') && line.includes(handle.dataDir))).toBe(true);
    expect(await queryOne(handle.url, 'select 1 as one')).toEqual({ one: 1 });
    await handle.stop();
    // The same requested path maps to the same relocated cluster.
    const again = await start(requested);
    expect(again.dataDir).toBe(handle.dataDir);
    await again.stop();
  });

  it.skipIf(!isRoot)('as root, copies binaries the postgres user cannot reach to where it can', async () => {
    const user = (await resolvePostgresUser())!;
    const cloneLike = await mkdtemp('/root/tmp-embedded-check-');
    cleanupDirs.push(cloneLike);
    const nativeDir = path.join(cloneLike, 'linux-x64', 'native');
    await cp(embeddedPostgresNativeDir(), nativeDir, { recursive: true, verbatimSymlinks: true });
    await writeFile(path.join(cloneLike, 'linux-x64', 'package.json'), '{"version":"0.0.0-spec"}');
    const relocationRoot = path.join(workDir, 'relocated');
    await mkdir(relocationRoot);

    expect(await findBlockingDirectory(nativeDir, user)).toBe('/root');
    const binaries = await locatePostgresBinaries(user, () => undefined, nativeDir, [relocationRoot]);

    expect(binaries.postgres.startsWith(relocationRoot)).toBe(true);
    const { stdout } = await execFileAsync(binaries.postgres, ['--version'], { uid: user.uid, gid: user.gid, cwd: '/' });
    expect(stdout).toMatch(/PostgreSQL\) 15\./);
  });
});

describe('private cluster', () => {
  it('keeps its URL working across restart(), crash(), and kill() then start()', async () => {
    const cluster = await startPrivateCluster();
    clusters.push(cluster);
    expect(cluster.port).not.toBe(5432);
    await queryOne(cluster.url, 'create table survivors (id int primary key)');
    await queryOne(cluster.url, 'insert into survivors values (1)');
    const firstPid = (await readPostmasterPid(cluster.dataDir))?.pid as number;

    await cluster.restart();
    await queryOne(cluster.url, 'insert into survivors values (2)');

    await cluster.crash();
    const afterCrash = (await readPostmasterPid(cluster.dataDir))?.pid as number;
    expect(afterCrash).not.toBe(firstPid);
    await queryOne(cluster.url, 'insert into survivors values (3)');

    await cluster.kill();
    await expect(queryOne(cluster.url, 'select 1')).rejects.toThrow();
    await cluster.start();

    const { ids } = await queryOne<{ ids: number[] }>(cluster.url, 'select array_agg(id order by id) as ids from survivors');
    expect(ids).toEqual([1, 2, 3]);
    expect(cluster.urlFor('other')).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/other`);
    expect(await postmastersOf(cluster.dataDir)).toHaveLength(1);
  });
});
