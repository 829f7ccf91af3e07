/**
 * A throwaway redis-server for tests, benchmarks and examples: Debian's (or any) `redis-server`
 * binary started on a free loopback port without persistence (`--save '' --appendonly no`,
 * `--maxmemory-policy noeviction`, as BullMQ needs), so a restart is a restart with nothing in it.
 *
 *   import { startRedisServer } from '@forkroad/distributed/redis-server';
 *   const redis = await startRedisServer();   // redis.url: redis://127.0.0.1:<port>
 *   …
 *   await redis.stop();
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL): every client loses its connection, every key is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs redis-server under a shell that kills it (SIGKILL) as soon as its stdin closes: when
 * `kill()` closes it, and when this process ends in any way, even killed, so that no server is
 * left behind.
 */
const guard = '"$@" & server=$!; read _ignored; kill -9 $server; wait $server 2>/dev/null; exit 0';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Whether a `redis-server` binary is on the PATH (or at `binary`). */
export function hasRedisServer(binary = 'redis-server'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts `redis-server` (or `binary`) on a free loopback port; resolves once it accepts connections. */
export async function startRedisServer(binary = 'redis-server'): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--maxmemory-policy', 'noeviction', '--protected-mode', 'yes');
    const started = spawn('sh', ['-c', guard, 'redis-server-guard', binary, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child = started;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      started.once('error', reject);
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${log}`)));
      started.stdout!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Ready to accept connections')) resolve();
      });
    });
    started.stdout!.resume();
  }

  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.stdin!.end();
    await exited;
  }

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, start, stop: kill };
}
