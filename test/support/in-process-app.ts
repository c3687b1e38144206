import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { bootstrap } from '../../src/bootstrap.js';
import { waitFor } from './wait-for.js';

export interface InProcessApp {
  app: NestExpressApplication;
  baseUrl: string;
  /** Every route the Express router serves, as `METHOD /path/:param`, read from the running application. */
  routes(): Route[];
  close(): Promise<void>;
}

export interface Route {
  method: string;
  /** Express syntax: `/jobs/:id`. */
  path: string;
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * The real application, as `main.ts` starts it (`bootstrap()`: environment validation, every module of its mode,
 * `configureApp`), in this process so that its router can be read; resolves once ready. `env` is laid over the
 * process environment for the start-up (on a free port) and undone by `close()`.
 */
export async function startInProcessApp(env: Record<string, string>): Promise<InProcessApp> {
  const saved = { ...process.env };
  const applied = { LOG_LEVEL: 'warn', JOBS_RETENTION_COMPLETED_DAYS: '0', JOBS_RETENTION_FAILED_DAYS: '0', ...env, PORT: '0' };
  Object.assign(process.env, applied);
  const restore = () => {
    for (const name of Object.keys(applied)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
  let app: NestExpressApplication;
  try {
    app = await bootstrap();
  } catch (error) {
    restore();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  // It listens before the database is reached: ready once /health says so.
  try {
    await waitFor(`${baseUrl}/health to answer 200`, async () => (await fetch(`${baseUrl}/health`)).status === 200, { timeoutMs: 30_000 });
  } catch (error) {
    await app.close().finally(restore);
    throw error;
  }
  return {
    app,
    baseUrl,
    routes: () => {
      const stack = (app.getHttpAdapter().getInstance().router as { stack: RouterLayer[] }).stack;
      return stack.flatMap(({ route }) =>
        route
          ? [route.path]
              .flat()
              .flatMap((path) => Object.keys(route.methods).filter((method) => method !== '_all').map((method) => ({ method: method.toUpperCase(), path })))
          : [],
      );
    },
    close: async () => {
      try {
        await app.close();
      } finally {
        restore();
      }
    },
  };
}
