/**
 * The parallel pools the suites race, defined once: forkroad's threads and processes executors
 * and the peers people would pick instead (piscina, tinypool and workerpool for threads,
 * workerpool and tinypool's child_process runtime for processes), each over the same task files,
 * with `workers` workers.
 */
import { fileURLToPath } from 'node:url';
import type { Executor } from '@forkroad/executor';
import { createExecutor as createProcesses } from '@forkroad/processes';
import { createExecutor as createThreads } from '@forkroad/threads';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import type * as cpuTasks from './tasks/cpu.js';
import type * as noopTasks from './tasks/noop.js';

/** The parallel task files: `noop` (a task that returns its argument) and `cpu` (`isPrime`). */
export type TaskFile = 'noop' | 'cpu';

export type ParallelTasks = typeof noopTasks & typeof cpuTasks;

export type ParallelBackend = 'threads' | 'processes';

export function taskUrl(file: TaskFile): URL {
  return new URL(`./tasks/${file}.js`, import.meta.url);
}

/** A forkroad executor of `backend` over a task file (the processes get no inherited execArgv). */
export function forkroadPool(
  backend: ParallelBackend,
  file: TaskFile,
  workers: number,
): Executor<ParallelTasks> {
  return backend === 'threads'
    ? createThreads<ParallelTasks>(taskUrl(file), { concurrency: workers })
    : createProcesses<ParallelTasks>(taskUrl(file), { concurrency: workers, execArgv: [] });
}

/** A peer's pool behind the one call the benchmarks make. */
export interface PeerPool {
  run(name: keyof ParallelTasks, arg: number): Promise<unknown>;
  close(): Promise<void>;
}

export interface Peer {
  /** The row's label and tool. */
  label: string;
  backend: ParallelBackend;
  /** Every worker started at creation (minThreads / minWorkers = workers), as their users set them. */
  create(file: TaskFile, workers: number): PeerPool;
}

const workerpoolScript = fileURLToPath(new URL('./tasks/workerpool-worker.js', import.meta.url));

function workerpoolPool(workerType: 'thread' | 'process', workers: number): PeerPool {
  const pool = workerpool.pool(workerpoolScript, {
    workerType,
    minWorkers: workers,
    maxWorkers: workers,
    ...(workerType === 'process' ? { forkOpts: { execArgv: [] } } : {}),
  });
  return {
    run: (name, arg) => pool.exec(name, [arg]) as unknown as Promise<unknown>,
    close: async () => {
      await pool.terminate();
    },
  };
}

export const PEERS: readonly Peer[] = [
  {
    label: 'piscina',
    backend: 'threads',
    create(file, workers) {
      const pool = new Piscina({
        filename: taskUrl(file).href,
        minThreads: workers,
        maxThreads: workers,
        // piscina tries require() before import(). On Node 20 and 22 a require() of an ES module
        // can abort the whole process (a fatal "IsGraphAsync must be used on an instantiated
        // module", seen once in CI); off, it imports the task module as the other pools do.
        execArgv: [...process.execArgv, '--no-experimental-require-module'],
      });
      return { run: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
    },
  },
  {
    label: 'tinypool',
    backend: 'threads',
    create(file, workers) {
      const pool = new Tinypool({ filename: taskUrl(file).href, minThreads: workers, maxThreads: workers });
      return { run: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
    },
  },
  {
    label: 'workerpool (thread)',
    backend: 'threads',
    create: (_file, workers) => workerpoolPool('thread', workers),
  },
  {
    label: 'workerpool',
    backend: 'processes',
    create: (_file, workers) => workerpoolPool('process', workers),
  },
  {
    label: 'tinypool (child_process)',
    backend: 'processes',
    create(file, workers) {
      const pool = new Tinypool({
        filename: taskUrl(file).href,
        runtime: 'child_process',
        minThreads: workers,
        maxThreads: workers,
        // The environment every other pool's children inherit.
        env: process.env as Record<string, string>,
      });
      return { run: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
    },
  },
];

/** The peer each backend's targets are against: the one with eager workers users pick first. */
export const REFERENCE_PEER: Record<ParallelBackend, string> = {
  threads: 'piscina',
  processes: 'workerpool',
};

export const FORKROAD_TOOL: Record<ParallelBackend, string> = {
  threads: '@forkroad/threads',
  processes: '@forkroad/processes',
};
