// Serves the built site (build/) on localhost and prints its URL.
//   pnpm --filter @forkroad/docs serve             port 3000, or the next free one
//   PORT=8080 pnpm --filter @forkroad/docs serve   that port exactly
//   HOST=0.0.0.0 …                                 listen on every interface

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const host = process.env.HOST ?? '127.0.0.1';
const fixed = process.env.PORT !== undefined;
let port = fixed ? Number(process.env.PORT) : 3000;

let server;
for (;;) {
  try {
    server = await startStaticServer({ root, host, port });
    break;
  } catch (error) {
    if (error.code === 'EADDRINUSE' && !fixed && port < 3100) {
      port++;
      continue;
    }
    console.error(`[docs] ${error.message}`);
    process.exit(1);
  }
}

const url = host === '0.0.0.0' ? `http://localhost:${server.port}/` : server.url;
console.log(`forkroad docs: serving ${root} at ${url}`);
console.log('Press Ctrl+C to stop.');
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close().then(() => process.exit(0)));
}
