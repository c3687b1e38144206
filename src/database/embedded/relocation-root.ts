import { chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBlockingDirectory, type PostgresUser } from './postgres-user-access.js';

/**
 * Where data folders and binaries go when the requested place is out of the postgres user's reach
 * (a clone under /root, mode 700). /var/lib first because it survives reboots and tmp cleaners;
 * the temp folder when /var/lib is read-only. Both are root-owned 755 on common systems.
 */
export function defaultRelocationRoots(): string[] {
  return ['/var/lib/embedded-postgres', path.join(tmpdir(), 'embedded-postgres')];
}

/**
 * The first of `roots` that can be created and that `user` can enter.
 * Throws, listing what was tried, when none can.
 */
export async function reachableRelocationRoot(
  user: PostgresUser,
  roots: string[] = defaultRelocationRoots(),
): Promise<string> {
  const problems: string[] = [];
  for (const root of roots) {
    try {
      const created = await mkdir(root, { recursive: true, mode: 0o755 });
      // An umask such as 077 would otherwise lock the postgres user out of the folder we just made.
      if (created !== undefined) await chmod(root, 0o755);
      const blocking = await findBlockingDirectory(root, user);
      if (blocking === undefined) return root;
      problems.push(`${root}: ${blocking} is not searchable by "${user.name}"`);
    } catch (error) {
      problems.push(`${root}: ${(error as Error).message}`);
    }
  }
  throw new Error(`No folder reachable by the "${user.name}" user for the embedded PostgreSQL: ${problems.join('; ')}`);
}
