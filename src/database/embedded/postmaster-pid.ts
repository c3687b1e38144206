import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** What PostgreSQL writes to `<data folder>/postmaster.pid` (its lock file), one item per line. */
export interface PostmasterPidFile {
  /** Line 1: PID of the postmaster that wrote the file (which may since have died). */
  pid: number;
  /** Line 2: the data folder as the postmaster was given it. */
  dataDir: string;
  /** Line 4: the TCP port; NaN while the file is still being written. */
  port: number;
  /** Line 8: `starting`, `ready`, `stopping` or `standby`; empty while starting up. */
  status: string;
}

/** The lock file's path; PostgreSQL removes it on a clean shutdown, so it outlives only a crash. */
export function postmasterPidPath(dataDir: string): string {
  return path.join(dataDir, 'postmaster.pid');
}

/**
 * Reads and parses `postmaster.pid`; undefined when there is none or it is too incomplete to name a PID
 * (PostgreSQL writes it in steps while starting).
 */
export async function readPostmasterPid(dataDir: string): Promise<PostmasterPidFile | undefined> {
  let text: string;
  try {
    text = await readFile(postmasterPidPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    dataDir: lines[1] ?? '',
    port: Number.parseInt(lines[3] ?? '', 10),
    status: (lines[7] ?? '').trim(),
  };
}
