import { createServer } from 'node:net';

/** The port a local PostgreSQL server usually holds; an embedded cluster must never take it. */
const STANDARD_POSTGRES_PORT = 5432;

/**
 * Asks the kernel for a free TCP port on `host` (binds port 0, reads the port, releases it).
 * Never returns 5432. Another process may still take the port before PostgreSQL binds it,
 * so callers retry with a new port when the server fails to start on it (see `isPortFree`).
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const port = await bindAndRelease(host, 0);
    if (port !== STANDARD_POSTGRES_PORT) return port;
  }
}

/** Whether `port` on `host` can be bound right now; tells a port race apart from any other start failure. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  try {
    await bindAndRelease(host, port);
    return true;
  } catch {
    return false;
  }
}

function bindAndRelease(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}
