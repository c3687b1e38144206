import path from 'node:path';
import type { PostgresBinaries } from './postgres-binaries.js';
import type { PostgresUser } from './postgres-user-access.js';

/** A data folder, the programs to run on it and the account they run as (undefined: ourselves). */
export interface ClusterLocation {
  dataDir: string;
  binaries: PostgresBinaries;
  user: PostgresUser | undefined;
}

/**
 * Spawn options that run a PostgreSQL program as the location's user. The working folder is the
 * binaries' own: PostgreSQL programs fail on a working folder they cannot enter (our clone may be one).
 */
export function runAs(location: ClusterLocation): { cwd: string; uid?: number; gid?: number } {
  const cwd = path.dirname(location.binaries.postgres);
  return location.user ? { cwd, uid: location.user.uid, gid: location.user.gid } : { cwd };
}

/** Sends each non-empty output line to `output` and keeps the last 50 for error messages. */
export function forwardLines(
  stream: NodeJS.ReadableStream | null,
  output: (line: string) => void,
  transcript: string[],
): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) emit(line);
  });
  stream?.on('end', () => emit(pending));

  function emit(line: string): void {
    const trimmed = line.trimEnd();
    if (!trimmed) return;
    output(trimmed);
    transcript.push(trimmed);
    if (transcript.length > 50) transcript.shift();
  }
}
