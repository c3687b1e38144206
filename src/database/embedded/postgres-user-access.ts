import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The account initdb and postgres run as when this process is root. */
export interface PostgresUser {
  name: string;
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root; this is the conventional account that packages create for it. */
const POSTGRES_USER_NAME = 'postgres';

/**
 * Who the PostgreSQL processes must run as: undefined when this process is not root (they run as
 * ourselves and can reach whatever we can), otherwise the `postgres` account.
 * Throws, naming the fix, when running as root and that account does not exist; we do not create
 * system users behind the caller's back.
 */
export async function resolvePostgresUser(): Promise<PostgresUser | undefined> {
  if (userInfo().uid !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', POSTGRES_USER_NAME]),
      execFileAsync('id', ['-g', POSTGRES_USER_NAME]),
    ]);
    return { name: POSTGRES_USER_NAME, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(
      'The embedded PostgreSQL cannot run as root and there is no "postgres" user to run it as. ' +
        'Create one (useradd --system --user-group postgres), run as a non-root user, ' +
        'or set DATABASE_URL to an existing PostgreSQL server.',
    );
  }
}

/**
 * The first directory on the way to `target` (inclusive) that `user` cannot enter, or undefined when
 * every existing one can be entered. Only existing directories are checked, after resolving symlinks.
 *
 * Judged from mode bits with the user's primary group only: Node's `spawn({ uid, gid })` drops
 * supplementary groups, so that is exactly what the spawned postgres has. POSIX ACLs are not read;
 * should one deny access anyway, initdb/postgres fail with their own "Permission denied" message.
 */
export async function findBlockingDirectory(target: string, user: PostgresUser): Promise<string | undefined> {
  const real = await realExistingPrefix(path.resolve(target));
  const parts = real.split(path.sep).filter(Boolean);
  for (let depth = 0; depth <= parts.length; depth += 1) {
    const directory = path.sep + parts.slice(0, depth).join(path.sep);
    const info = await stat(directory);
    if (info.isDirectory() && !canSearch(info.mode, info.uid, info.gid, user)) return directory;
  }
  return undefined;
}

function canSearch(mode: number, ownerUid: number, ownerGid: number, user: PostgresUser): boolean {
  if (user.uid === 0) return true;
  if (ownerUid === user.uid) return (mode & 0o100) !== 0;
  if (ownerGid === user.gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/** Realpath of the longest existing prefix of `absolute`, so a not-yet-created tail is simply skipped. */
async function realExistingPrefix(absolute: string): Promise<string> {
  let candidate = absolute;
  for (;;) {
    try {
      return await realpath(candidate);
    } catch {
      const parent = path.dirname(candidate);
      if (parent === candidate) return candidate;
      candidate = parent;
    }
  }
}
