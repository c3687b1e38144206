import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { forwardLines, runAs, type ClusterLocation } from './postgres-spawn.js';

/** The superuser initdb creates; it is also the user name in the URLs we hand out. */
export const SUPERUSER = 'postgres';

/**
 * Runs initdb unless the data folder already holds a cluster (has `PG_VERSION`); returns whether it ran.
 *
 * Authentication is `trust`: the server listens on 127.0.0.1 only, without a Unix socket, and exists
 * for development and tests. A password would have to live in this repository or in a file beside the
 * data, and would keep out no one who can already reach the machine's loopback.
 * Locale C with UTF-8 encoding, so the cluster is the same on every host whatever locales it has.
 *
 * @param extraFlags more initdb flags, e.g. `--no-sync` for throwaway test clusters.
 */
export async function initialiseCluster(
  location: ClusterLocation,
  output: (line: string) => void,
  extraFlags: string[] = [],
): Promise<boolean> {
  if (await clusterExists(location.dataDir)) return false;
  const args = [
    `--pgdata=${location.dataDir}`,
    `--username=${SUPERUSER}`,
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    ...extraFlags,
  ];
  const child = spawn(location.binaries.initdb, args, {
    ...runAs(location),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const transcript: string[] = [];
  forwardLines(child.stdout, output, transcript);
  forwardLines(child.stderr, output, transcript);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  if (code !== 0) {
    throw new Error(`initdb failed (code ${code}, signal ${signal}) for ${location.dataDir}:\n${transcript.join('\n')}`);
  }
  return true;
}

/** Whether `dataDir` holds an initialised cluster: initdb writes `PG_VERSION` into it. */
export async function clusterExists(dataDir: string): Promise<boolean> {
  try {
    await access(path.join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}
