// A small static file server for the built site (build/), used by `pnpm serve` and the browser
// tests. It resolves URLs the way Docusaurus emits files: /docs/intro → docs/intro/index.html
// or docs/intro.html; unknown paths get build/404.html with status 404.

import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The file to answer `pathname` with, or undefined. */
export function resolveFile(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const base = normalize(join(root, decoded));
  if (base !== root && !base.startsWith(root + sep)) return undefined;
  const candidates = decoded.endsWith('/')
    ? [join(base, 'index.html')]
    : [base, `${base}.html`, join(base, 'index.html')];
  return candidates.find(isFile);
}

/**
 * Serves `root` on `host:port` (port 0: any free port). Resolves with the base URL and a
 * `close()` that stops the server.
 * @param {{ root: string, host?: string, port?: number }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 0 }) {
  const dir = resolve(root);
  if (!isFile(join(dir, 'index.html'))) {
    throw new Error(`${dir} has no index.html: build the site first (pnpm --filter @forkroad/docs build)`);
  }
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const file = resolveFile(dir, pathname);
    const status = file ? 200 : 404;
    const body = file ?? join(dir, '404.html');
    res.writeHead(status, {
      'content-type': TYPES[extname(body)] ?? 'application/octet-stream',
      // Docusaurus names assets by content hash: they never change under the same name.
      'cache-control':
        file && pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(body)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen(undefined));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '127.0.0.1' || host === '::1' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
