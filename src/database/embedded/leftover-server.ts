import { realpath, rm } from 'node:fs/promises';
import { postmasterPidPath, readPostmasterPid } from './postmaster-pid.js';
import { isRunning, listServerProcesses, waitForExit, type ServerProcess } from './server-processes.js';

/** A fast shutdown only waits for a checkpoint; past this we escalate to an immediate shutdown. */
const FAST_SHUTDOWN_TIMEOUT_MS = 20_000;
const IMMEDIATE_SHUTDOWN_TIMEOUT_MS = 5_000;
/** Children of a dead postmaster notice within milliseconds; past this they are killed. */
const ORPHANED_CHILDREN_TIMEOUT_MS = 5_000;

/**
 * Makes `dataDir` free for a new postmaster after a crash of whoever used it last.
 *
 * A `kill -9` of the Node process that launched PostgreSQL leaves its postmaster running. We find it
 * through `postmaster.pid` and a /proc scan, and only act on a process that is a `postgres` executable
 * whose working folder is the realpath of `dataDir` — never another cluster, never an unrelated
 * process that happens to have the PID written in a stale file. Such a postmaster is stopped (fast
 * shutdown, as `pg_ctl stop -m fast`), not reused: the new start then owns a child process whose
 * output and exit it observes, on a freshly chosen port, at the cost of well under a second.
 *
 * Children of an already-dead postmaster are awaited (they would hold its shared memory and make the
 * new postmaster refuse to start), and a `postmaster.pid` no live server backs is removed: PostgreSQL
 * would itself refuse one whose PID now belongs to a live process of the same user.
 *
 * Throws, naming the fix, when the postmaster's launcher is still alive: that is another running app
 * using the same data folder, and stopping its database would break it.
 *
 * Linux only (it reads /proc); elsewhere it does nothing and PostgreSQL's own lock-file check decides.
 */
export async function clearLeftoverServer(dataDir: string, log: (message: string) => void): Promise<void> {
  if (process.platform !== 'linux') return;
  const realDataDir = await realpath(dataDir);
  const pidFile = await readPostmasterPid(realDataDir);
  const servers = await listServerProcesses(realDataDir);

  for (const postmaster of servers.filter((server) => server.isPostmaster)) {
    assertAbandoned(postmaster, realDataDir);
    log(
      `Embedded PostgreSQL: a postmaster (PID ${postmaster.pid}) is still running on ${realDataDir} although ` +
        `the process that started it (${postmaster.ownerPid}) is gone; stopping it before starting afresh.`,
    );
    await stopPostmaster(postmaster.pid);
  }

  const children = servers.filter((server) => !server.isPostmaster).map((server) => server.pid);
  const stuck = await waitForExit(children, ORPHANED_CHILDREN_TIMEOUT_MS);
  for (const pid of stuck) signal(pid, 'SIGKILL');
  if ((await waitForExit(stuck, IMMEDIATE_SHUTDOWN_TIMEOUT_MS)).length > 0) {
    throw new Error(`PostgreSQL processes ${stuck.join(', ')} of ${realDataDir} do not exit; kill them and retry.`);
  }

  if (pidFile && !servers.some((server) => server.pid === pidFile.pid)) {
    const holder = isRunning(pidFile.pid) ? 'an unrelated process, left alone' : 'not running';
    log(`Embedded PostgreSQL: removing a stale postmaster.pid from ${realDataDir} (PID ${pidFile.pid} is ${holder}).`);
  }
  await rm(postmasterPidPath(realDataDir), { force: true });
}

/** A postmaster whose launcher is alive belongs to a running app; only abandoned ones may be stopped. */
function assertAbandoned(postmaster: ServerProcess, realDataDir: string): void {
  const { pid, ppid, ownerPid } = postmaster;
  if (ownerPid === undefined) {
    throw new Error(
      `A PostgreSQL server not started by the embedded launcher (PID ${pid}) is running on ${realDataDir}. ` +
        `Stop it (kill -INT ${pid}) or use another data folder.`,
    );
  }
  // While the launcher lives it stays the postmaster's parent; once it dies the postmaster is reparented.
  if (ownerPid === process.pid || (ppid === ownerPid && isRunning(ownerPid))) {
    throw new Error(
      `The embedded PostgreSQL data folder ${realDataDir} is in use by postmaster PID ${pid}, started by ` +
        `process ${ownerPid}, which is still running. Stop that process, or use another data folder.`,
    );
  }
}

/** SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one, if the first takes too long. */
async function stopPostmaster(pid: number): Promise<void> {
  signal(pid, 'SIGINT');
  if ((await waitForExit([pid], FAST_SHUTDOWN_TIMEOUT_MS)).length === 0) return;
  signal(pid, 'SIGQUIT');
  if ((await waitForExit([pid], IMMEDIATE_SHUTDOWN_TIMEOUT_MS)).length === 0) return;
  throw new Error(`The leftover postmaster PID ${pid} does not stop; kill it (kill -9 ${pid}) and retry.`);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // Exited in the meantime: that is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
