/** Host processes for tests: each one stands for a machine serving some queues. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

const script = new URL('../fixtures/host.mjs', import.meta.url);

export interface HostProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGKILL: the machine is gone without a word. */
  kill(): Promise<void>;
  /** SIGTERM: the host finishes its running jobs and leaves. */
  stop(): Promise<void>;
}

/**
 * `queues`: queue name → [task module URL, concurrency, runtime (default threads)]. Resolves once
 * the host serves them all.
 */
export async function startHostProcess(
  redisUrl: string,
  queues: Record<string, [URL | string, number, ('threads' | 'processes')?]>,
): Promise<HostProcess> {
  const specs = Object.entries(queues).map(
    ([queue, [module, concurrency, runtime = 'threads']]) => `${queue}=${module},${concurrency},${runtime}`,
  );
  const child = spawn(process.execPath, [script.pathname, redisUrl, ...specs], {
    // The host reads its stdin only to notice that this process is gone (see fixtures/host.mjs).
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`host exited with ${code} before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve();
    });
  });
  const ended = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exit = once(child, 'exit');
    child.kill(signal);
    await exit;
  };
  return { pid: child.pid!, child, kill: () => ended('SIGKILL'), stop: () => ended('SIGTERM') };
}
