import { readdir, readFile, readlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A custom setting every postmaster we start carries on its command line (`-c name=<our pid>`), so a
 * later start can tell who launched a running postmaster without any file of ours in the data folder.
 * Also visible with `SHOW embedded_postgres.owner_pid`.
 */
export const OWNER_PID_SETTING = 'embedded_postgres.owner_pid';

/** A PostgreSQL process (postmaster or one of its children) working in a given data folder. */
export interface ServerProcess {
  pid: number;
  /** Parent PID: the launching process while it lives; init or a subreaper once it is gone. */
  ppid: number;
  /** The postmaster keeps its original command line; its children rewrite theirs to `postgres: ...`. */
  isPostmaster: boolean;
  /** The PID in `OWNER_PID_SETTING`; undefined for children and for postmasters not started by us. */
  ownerPid: number | undefined;
}

/**
 * Identifies `pid` through /proc (Linux only): a PostgreSQL process whose working folder is
 * `realDataDir` (the postmaster and its children chdir into the data folder), else undefined.
 * Unreadable processes (another user's, when we are not root) are not ours, so also undefined.
 */
export async function inspectServerProcess(pid: number, realDataDir: string): Promise<ServerProcess | undefined> {
  try {
    const [cwd, exe, cmdline, stat] = await Promise.all([
      readlink(`/proc/${pid}/cwd`),
      readlink(`/proc/${pid}/exe`),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    if (cwd !== realDataDir || !/^postgres( \(deleted\))?$/.test(path.basename(exe))) return undefined;
    const args = cmdline.split('\0');
    const owner = args.find((arg) => arg.startsWith(`${OWNER_PID_SETTING}=`));
    return {
      pid,
      ppid: parseStat(stat).ppid,
      isPostmaster: args.includes('-D'),
      ownerPid: owner === undefined ? undefined : Number.parseInt(owner.slice(OWNER_PID_SETTING.length + 1), 10),
    };
  } catch {
    return undefined;
  }
}

/** Every PostgreSQL process working in `realDataDir`: a scan of /proc, a few hundred entries. */
export async function listServerProcesses(realDataDir: string): Promise<ServerProcess[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const found = await Promise.all(pids.map((pid) => inspectServerProcess(pid, realDataDir)));
  return found.filter((entry): entry is ServerProcess => entry !== undefined);
}

/**
 * Whether `pid` is a live process. A zombie counts as gone: an orphaned postmaster is reparented to
 * init, and an init that does not reap leaves it as a zombie that can do nothing any more.
 */
export function isRunning(pid: number): boolean {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).state !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until none of `pids` runs or `timeoutMs` passes; returns those still running. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let running = pids.filter(isRunning);
  while (running.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    running = running.filter(isRunning);
  }
  return running;
}

/** `/proc/<pid>/stat` is "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'. */
function parseStat(stat: string): { state: string; ppid: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number.parseInt(fields[1] ?? '', 10) };
}
