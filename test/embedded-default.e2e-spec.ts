import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { http, startAppProcess, type AppProcess } from './support/app-process.js';
import { waitFor } from './support/wait-for.js';

/** Running, and not a zombie (orphans are not always reaped in containers whose PID 1 is not an init). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
};

/** The postmaster PID from the data folder's lock file, or undefined when no server holds it. */
async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  return Number((await readFile(file, 'utf8')).split('\n')[0]);
}

describe('the embedded default (no DATABASE_URL)', () => {
  let root: string;
  const started: AppProcess[] = [];

  afterAll(async () => {
    for (const app of started) await app.stop('SIGTERM');
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('starts a real PostgreSQL of its own, runs a job, survives kill -9 and stops its postmaster on SIGTERM', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'jobs-embedded-'));
    // mkdtemp makes it private; as root, the server runs as `postgres`, which must reach the data folder here.
    await chmod(root, 0o755);
    const dataDir = path.join(root, 'pgdata');
    // Exactly what `npm start` gets on a fresh machine: no DATABASE_URL.
    const env = { EMBEDDED_PG_DATA_DIR: dataDir, LOG_LEVEL: 'log' };

    const first = await startAppProcess({ env, readyTimeoutMs: 90_000 });
    started.push(first);
    expect(first.output()).toMatch(/No DATABASE_URL: starting the embedded PostgreSQL/);
    const created = await http(first.baseUrl, 'POST', '/jobs', { name: 'demo.echo', payload: { hello: 'embedded' } });
    expect(created.status).toBe(201);
    const done = await waitFor('the job to complete on the embedded database', async () => {
      const job = await http(first.baseUrl, 'GET', `/jobs/${created.body.id}`);
      return job.body.status === 'completed' ? job.body : undefined;
    });
    expect(done.result).toEqual({ hello: 'embedded' });
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(first.output())?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(5432);

    // kill -9 leaves the postmaster running; the next start must recover it, and the data must still be there.
    const orphan = await postmasterPid(dataDir);
    expect(orphan).toBeDefined();
    await first.stop('SIGKILL');
    expect(isAlive(orphan!)).toBe(true);

    const second = await startAppProcess({ env, readyTimeoutMs: 90_000 });
    started.push(second);
    const again = await http(second.baseUrl, 'GET', `/jobs/${created.body.id}`);
    expect(again.body.status).toBe('completed');
    expect(isAlive(orphan!)).toBe(false);
    const current = await postmasterPid(dataDir);
    expect(current).toBeDefined();
    expect(current).not.toBe(orphan);

    // A graceful stop stops the embedded server too.
    const exit = await second.stop('SIGTERM');
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    await waitFor('the embedded postmaster to stop', () => !isAlive(current!), { timeoutMs: 20_000 });
    expect(await postmasterPid(dataDir)).toBeUndefined();
  });
});
