/**
 * A local HTTP server that answers each request after a delay: stands in for a slow API, so the
 * demo and its test need no network. `GET /delay?ms=200&id=3` answers `{"id":"3","ms":200}`
 * after 200 ms.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The URL of a request answered after `ms` milliseconds, tagged with `id`. */
  url(ms: number, id?: string | number): string;
  /** Requests received so far. */
  readonly requests: number;
  /** Requests whose client went away before the answer (an aborted fetch). */
  readonly abandoned: number;
  close(): Promise<void>;
}

export async function startDelayServer(): Promise<DelayServer> {
  let requests = 0;
  let abandoned = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((request, response) => {
    requests++;
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const ms = Math.min(Math.max(Number(query.get('ms')) || 0, 0), 60_000);
    const id = query.get('id');
    const timer = setTimeout(() => {
      timers.delete(timer);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id, ms }));
    }, ms);
    timers.add(timer);
    response.on('close', () => {
      if (!response.writableFinished) {
        abandoned++;
        clearTimeout(timer);
        timers.delete(timer);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (ms, id) => `${origin}/delay?ms=${ms}${id === undefined ? '' : `&id=${encodeURIComponent(id)}`}`,
    get requests() {
      return requests;
    },
    get abandoned() {
      return abandoned;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
