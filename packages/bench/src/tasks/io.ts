/**
 * The I/O task module: one HTTP GET to the bench's delay server. Loaded by every backend (and
 * called directly by the sequential contender); each thread or process has its own keep-alive agent.
 */
import { Agent, get } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

/** GETs `url` and resolves with the number of body bytes once the answer is complete. */
export function request(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        if (res.statusCode === 200) resolve(bytes);
        else reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
