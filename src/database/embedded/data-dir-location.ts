import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { findBlockingDirectory, type PostgresUser } from './postgres-user-access.js';
import { reachableRelocationRoot } from './relocation-root.js';

/**
 * Creates the data folder and returns where it really is.
 *
 * Without `user` (not root) that is `requested` itself. As root, initdb and postgres run as `user`,
 * which must be able to enter every folder above the data folder. When one of them blocks it (a clone
 * under /root, mode 700), the data goes to `<relocation root>/<name>-<hash of the requested path>`
 * instead: stable for a given path, so the next start finds the same cluster. The move is logged.
 *
 * A folder we create for `user` is owned by it with mode 700, as PostgreSQL demands.
 *
 * @param relocationRoots defaults to `defaultRelocationRoots()`.
 */
export async function prepareDataDir(
  requested: string,
  user: PostgresUser | undefined,
  log: (message: string) => void,
  relocationRoots?: string[],
): Promise<string> {
  const absolute = path.resolve(requested);
  if (!user) {
    await mkdir(absolute, { recursive: true, mode: 0o700 });
    return absolute;
  }

  const parent = path.dirname(absolute);
  await mkdir(parent, { recursive: true, mode: 0o755 });
  const blocking = await findBlockingDirectory(parent, user);
  if (blocking === undefined) {
    await ensureOwnedDir(absolute, user);
    return absolute;
  }

  const root = await reachableRelocationRoot(user, relocationRoots);
  const relocated = path.join(root, `${path.basename(absolute)}-${shortHash(absolute)}`);
  log(
    `Embedded PostgreSQL: ${blocking} is not searchable by user "${user.name}", which PostgreSQL runs as, ` +
      `so the data folder ${absolute} cannot be used; the data lives in ${relocated} instead.`,
  );
  await ensureOwnedDir(relocated, user);
  return relocated;
}

/**
 * Makes `dir` owned by `user` with mode 700 when we create it or it is empty (a mount point made by
 * root, say). A folder with content is left as it is: initdb or postgres judge it and say what is wrong.
 */
async function ensureOwnedDir(dir: string, user: PostgresUser): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((await readdir(dir)).length > 0) return;
  }
  await chown(dir, user.uid, user.gid);
  await chmod(dir, 0o700);
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
