import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initialiseCluster } from '../../src/database/embedded/cluster-init.js';
import { localDatabaseUrl } from '../../src/database/embedded/database-creation.js';
import { clearLeftoverServer } from '../../src/database/embedded/leftover-server.js';
import { locatePostgresBinaries } from '../../src/database/embedded/postgres-binaries.js';
import type { ClusterLocation } from '../../src/database/embedded/postgres-spawn.js';
import { findBlockingDirectory, resolvePostgresUser } from '../../src/database/embedded/postgres-user-access.js';
import { spawnPostmasterOnFreePort } from '../../src/database/embedded/postmaster-on-free-port.js';
import { spawnPostmaster, type Postmaster } from '../../src/database/embedded/postmaster-process.js';

/**
 * A PostgreSQL 15 cluster of one test's own, for tests that restart or crash the server: they must
 * never touch the shared server on 5432. Listens on 127.0.0.1 at a port that stays the same across
 * restarts, so clients reconnect to the same URL. Trust authentication: no password.
 */
export interface PrivateCluster {
  /** URL of the `postgres` database. */
  url: string;
  port: number;
  dataDir: string;
  /** URL of another database on this cluster (create it first). */
  urlFor(database: string): string;
  /** Fast shutdown; resolves once the postmaster has exited. No-op when not running. */
  stop(): Promise<void>;
  /** Starts the server again on the same port; no-op when running. */
  start(): Promise<void>;
  /** Fast shutdown, then start on the same port. */
  restart(): Promise<void>;
  /** SIGKILL of the postmaster, then start on the same port: the server runs crash recovery. */
  crash(): Promise<void>;
  /** SIGKILL of the postmaster, no restart; `start()` brings it back with crash recovery. */
  kill(): Promise<void>;
  /** Stops the server and removes its data folder. */
  destroy(): Promise<void>;
}

/**
 * Don't make durability promises for throwaway data: no fsync. A SIGKILL still leaves the written WAL in
 * the OS cache, so crash recovery after `crash()` behaves as after a real server crash.
 */
const INITDB_FLAGS = ['--no-sync'];
const SETTINGS = ['fsync=off'];

/** Runs initdb in a fresh folder under the OS temp folder (reachable by the postgres user) and starts it. */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const silent = () => undefined;
  const user = await resolvePostgresUser();
  const binaries = await locatePostgresBinaries(user, silent);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'private-pg-'));
  if (user) {
    await chown(dataDir, user.uid, user.gid);
    const blocking = await findBlockingDirectory(dataDir, user);
    if (blocking) throw new Error(`${blocking} is not searchable by "${user.name}"; point TMPDIR somewhere it is.`);
  }
  const location: ClusterLocation = { dataDir, binaries, user };
  await initialiseCluster(location, silent, INITDB_FLAGS);

  let postmaster: Postmaster | undefined = await spawnPostmasterOnFreePort(location, silent, SETTINGS);
  const { port } = postmaster;

  const start = async (): Promise<void> => {
    if (postmaster) return;
    // Waits out the children of a killed postmaster, which would hold its shared memory.
    await clearLeftoverServer(dataDir, silent);
    postmaster = await spawnPostmaster(location, port, silent, SETTINGS);
  };
  const stop = async (): Promise<void> => {
    await postmaster?.stop();
    postmaster = undefined;
  };
  const kill = async (): Promise<void> => {
    await postmaster?.kill();
    postmaster = undefined;
  };

  return {
    url: localDatabaseUrl(port, 'postgres'),
    port,
    dataDir,
    urlFor: (database) => localDatabaseUrl(port, database),
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    async crash() {
      await kill();
      await start();
    },
    kill,
    async destroy() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
