// A small closed-loop HTTP load generator: `clients` keep-alive connections, each sending its next request as soon
// as the previous answer is read. No dependency: node:http with a keep-alive Agent.
import http from 'node:http';

/** Requests per second of `request` over `seconds`, after `warmupSeconds`, with `clients` concurrent connections. */
export async function measureRps({ port, clients, seconds, warmupSeconds, request }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let counting = false;
  let done = 0;
  let errors = 0;
  let stop = false;
  const send = () =>
    new Promise((resolve) => {
      const { method, path, body, expect } = request();
      const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
        res.resume();
        res.on('end', () => {
          if (counting) {
            if (expect.includes(res.statusCode)) done += 1;
            else errors += 1;
          }
          resolve();
        });
      });
      req.on('error', () => {
        if (counting) errors += 1;
        resolve();
      });
      req.end(body);
    });
  const loop = async () => {
    while (!stop) await send();
  };
  const loops = Array.from({ length: clients }, loop);
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  counting = true;
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  const count = done;
  counting = false;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  return { rps: count / elapsed, errors };
}
