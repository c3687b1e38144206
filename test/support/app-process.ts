import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built server, as a container runs it. */
export const MAIN_ENTRY = path.join(PROJECT_ROOT, 'dist/main.js');
/** The built server plus the test-only `test.record` handler that logs every execution (see the fixture). */
export const RECORDING_ENTRY = path.join(PROJECT_ROOT, 'test/fixtures/recording-server.mjs');
/** The built server plus `test.tick` and its code schedule `test.every-second` (see the fixture). */
export const SCHEDULED_ENTRY = path.join(PROJECT_ROOT, 'test/fixtures/scheduled-server.mjs');

export interface AppProcess {
  pid: number;
  port: number;
  baseUrl: string;
  output(): string;
  /** Resolves when the process has exited, with its exit code (null when killed by a signal) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once GET /health answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  env: Record<string, string>;
  entry?: string;
  /** Working directory of the process (default: the project root). */
  cwd?: string;
  /** Wait for readiness (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
// A failing spec must not leave servers behind that hold its database.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the real server (`node dist/main.js`) as a child process with exactly the given environment. */
export async function startAppProcess(options: StartOptions): Promise<AppProcess> {
  const port = options.env.PORT ? Number(options.env.PORT) : await freePort();
  const child = spawn(process.execPath, [options.entry ?? MAIN_ENTRY], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      // The built-in hourly `jobs.prune` schedule would add a job to whichever test runs across minute 5; specs that
      // test it turn it on.
      JOBS_RETENTION_COMPLETED_DAYS: '0',
      JOBS_RETENTION_FAILED_DAYS: '0',
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const baseUrl = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    pid: child.pid!,
    port,
    baseUrl,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (!hasExited) child.kill(signal);
      return exited;
    },
    ready: async (timeoutMs = 60_000) => {
      await waitFor(
        `${baseUrl}/health to answer 200`,
        async () => {
          if (hasExited) throw new Error(`process exited early:\n${output}`);
          const response = await fetch(`${baseUrl}/health`).catch(() => undefined);
          return response?.status === 200;
        },
        { timeoutMs, intervalMs: 100 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n--- output ---\n${output.slice(-4000)}`);
      });
    },
    waitForOutput: async (pattern, timeoutMs = 30_000) => {
      await waitFor(`output matching ${pattern}`, () => pattern.test(output), { timeoutMs });
    },
  };
  if (options.waitReady !== false) await app.ready(options.readyTimeoutMs);
  return app;
}

/** JSON over HTTP against a started process. */
export async function http(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
