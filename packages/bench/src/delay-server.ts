/**
 * The delay server, run in its own process by `startDelayServer` so that its event loop is not
 * the one being measured. `GET /delay/<ms>` answers `ok` after `ms` milliseconds. It listens on
 * 127.0.0.1, port 0 (any free port), with a deep accept backlog for a thousand connections at once,
 * tells its parent the port over IPC, and exits when the parent goes away.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const match = /^\/delay\/(\d+)$/.exec(req.url ?? '');
  if (!match) {
    res.writeHead(404).end('not found');
    return;
  }
  const timer = setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
  }, Number(match[1]));
  res.on('close', () => clearTimeout(timer));
});
server.keepAliveTimeout = 60_000;
server.maxConnections = 100_000;

server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ port });
});

process.on('disconnect', () => process.exit(0));
