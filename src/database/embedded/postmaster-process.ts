import { spawn } from 'node:child_process';
import { readPostmasterPid } from './postmaster-pid.js';
import { forwardLines, runAs, type ClusterLocation } from './postgres-spawn.js';
import { OWNER_PID_SETTING } from './server-processes.js';

/** Crash recovery after a kill runs before "ready"; a big WAL backlog can take a while. */
const READY_TIMEOUT_MS = 60_000;
const FAST_SHUTDOWN_TIMEOUT_MS = 20_000;
const IMMEDIATE_SHUTDOWN_TIMEOUT_MS = 5_000;

/** A running postmaster we spawned. */
export interface Postmaster {
  pid: number;
  port: number;
  /** Settles when the postmaster process has exited, however it ended. */
  readonly exited: Promise<void>;
  /** Fast shutdown (SIGINT: disconnect clients, checkpoint); resolves once the postmaster has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; resolves once the postmaster has exited. Its children exit on their own. */
  kill(): Promise<void>;
}

/**
 * Starts `postgres` on the cluster and resolves once it accepts connections.
 *
 * It listens on 127.0.0.1:`port` only and opens no Unix socket, so it cannot clash with a local server's
 * socket in /tmp or /var/run/postgresql. It runs in its own process group (`detached`): Ctrl+C in a
 * terminal signals the whole foreground group, and the database must outlive the app's graceful
 * shutdown, which stops it last through `stop()`. Should the app exit without calling `stop()`, an
 * `exit` listener still asks for a fast shutdown; only a SIGKILL leaves it running, which the next start
 * clears up (`clearLeftoverServer`).
 *
 * Readiness is read from line 8 of `postmaster.pid` (`ready`), which unlike the log does not depend
 * on the language of the messages. Rejects with PostgreSQL's last output lines if it exits first.
 *
 * @param settings extra `name=value` server settings, each passed as `-c name=value`.
 */
export async function spawnPostmaster(
  location: ClusterLocation,
  port: number,
  output: (line: string) => void,
  settings: string[] = [],
): Promise<Postmaster> {
  const args = ['-D', location.dataDir, '-p', String(port)];
  const allSettings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', `${OWNER_PID_SETTING}=${process.pid}`];
  for (const setting of [...allSettings, ...settings]) args.push('-c', setting);

  const child = spawn(location.binaries.postgres, args, {
    ...runAs(location),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const transcript: string[] = [];
  forwardLines(child.stdout, output, transcript);
  forwardLines(child.stderr, output, transcript);

  // 'exit', not 'close': the postmaster's children inherit its stderr and may hold it open after a SIGKILL.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  // Only awaited while starting; a later 'error' (a signal that could not be sent) must not crash the app.
  spawnFailed.catch(() => undefined);
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const stopOnExit = () => child.kill('SIGINT');
  process.on('exit', stopOnExit);
  void exited.then(() => process.off('exit', stopOnExit));

  const pid = await Promise.race([waitForSpawn(child), spawnFailed]);
  try {
    await Promise.race([waitUntilReady(location.dataDir, pid, hasExited), spawnFailed]);
  } catch (error) {
    if (!hasExited()) child.kill('SIGKILL');
    await exited;
    throw new Error(`PostgreSQL did not start on ${location.dataDir} (port ${port}): ${(error as Error).message}\n${transcript.join('\n')}`);
  }

  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> => {
    if (hasExited()) return true;
    child.kill(signal);
    return within(exited, timeoutMs);
  };
  return {
    pid,
    port,
    exited,
    async stop() {
      if (await signalAndWait('SIGINT', FAST_SHUTDOWN_TIMEOUT_MS)) return;
      if (await signalAndWait('SIGQUIT', IMMEDIATE_SHUTDOWN_TIMEOUT_MS)) return;
      await signalAndWait('SIGKILL', Number.POSITIVE_INFINITY);
    },
    async kill() {
      await signalAndWait('SIGKILL', Number.POSITIVE_INFINITY);
    },
  };
}

function waitForSpawn(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve) => child.once('spawn', () => resolve(child.pid as number)));
}

/** Polls `postmaster.pid` until it names `pid` with status `ready`; a stale file from a crash names another PID. */
async function waitUntilReady(dataDir: string, pid: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited()) throw new Error('the server exited while starting');
    const pidFile = await readPostmasterPid(dataDir).catch(() => undefined);
    if (pidFile?.pid === pid && pidFile.status === 'ready') return;
    if (Date.now() > deadline) throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether `promise` settles within `timeoutMs`. */
async function within(promise: Promise<void>, timeoutMs: number): Promise<boolean> {
  if (timeoutMs === Number.POSITIVE_INFINITY) {
    await promise;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const result = await Promise.race([promise.then(() => true), timedOut]);
  clearTimeout(timer);
  return result;
}
