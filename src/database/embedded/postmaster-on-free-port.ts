import { findFreePort, isPortFree } from './free-port.js';
import { spawnPostmaster, type Postmaster } from './postmaster-process.js';
import type { ClusterLocation } from './postgres-spawn.js';

/** Enough to outlast a burst of parallel test clusters grabbing ports at the same moment. */
const ATTEMPTS = 5;

/**
 * Starts the postmaster on a port the kernel says is free (never 5432). Between asking and PostgreSQL
 * binding it another process may take that port; then the start is retried on a new one. Any other
 * start failure is thrown as is.
 *
 * @param settings extra `name=value` server settings, passed to `spawnPostmaster`.
 */
export async function spawnPostmasterOnFreePort(
  location: ClusterLocation,
  output: (line: string) => void,
  settings: string[] = [],
): Promise<Postmaster> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    try {
      return await spawnPostmaster(location, port, output, settings);
    } catch (error) {
      if (attempt >= ATTEMPTS || (await isPortFree(port))) throw error;
    }
  }
}
