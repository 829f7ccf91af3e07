import type { Executor, ExecutorOptions, ModuleReference, TaskFunction } from '@forkroad/executor';
import { createWorkerPoolExecutor, type WorkerPoolFlavour } from '@forkroad/worker-pool';

/** Options of @forkroad/processes. */
export interface ProcessesOptions extends ExecutorOptions {
  /** The workers' environment. Default: this process's `process.env`, as Python's ProcessPoolExecutor. */
  env?: Record<string, string | undefined>;
  /** Node options for the workers (e.g. ['--max-old-space-size=256', '--import', 'tsx']). Default: `process.execArgv`. */
  execArgv?: string[];
  /** ms a worker may sit idle before it exits (it is started again when work comes). Default: never. */
  idleTimeout?: number;
  /** Start a fresh worker process for every task. */
  isolateWorkers?: boolean;
  /**
   * Worker processes started with the executor (at most `concurrency`), each loading the task
   * module, and kept: one that ends is started again, and idleTimeout does not end them. Default 0:
   * workers start with the first tasks. `await executor.ready()` starts them all and waits for them.
   */
  minWorkers?: number;
}

const flavour: WorkerPoolFlavour = {
  runtime: 'child_process',
  name: '@forkroad/processes',
  optionKeys: ['env', 'execArgv', 'idleTimeout', 'isolateWorkers', 'minWorkers'],
};

/**
 * The child_process executor: task functions run in a pool of Node.js child processes, in parallel
 * and isolated: for crash-prone or thread-unsafe native code, memory limits per worker, or work
 * that must not share a process. Workers inherit `process.env` unless `env` is given, and their
 * stdout and stderr reach this process. A worker that crashes fails only its
 * task and is replaced; a task past its timeout is asked to stop through `taskSignal()` and, if it
 * has not within a short grace period, its worker is terminated and replaced.
 *
 * `module` is the task module: a URL, a file URL string or an absolute path.
 */
export function createExecutor<M = Record<string, TaskFunction>>(
  module: ModuleReference,
  options?: ProcessesOptions,
): Executor<M> {
  return createWorkerPoolExecutor<M>(flavour, module, options);
}

export {
  type AsCompletedOptions,
  asCompleted,
  CancelledError,
  DROPPED_PROTOTYPE_WARNING,
  type Executor,
  ExecutorClosedError,
  type ExecutorStats,
  type MapOptions,
  QueueFullError,
  SerializationError,
  type SettledOutcome,
  type SubmitOptions,
  TimeoutError,
  taskSignal,
  WorkerCrashedError,
} from '@forkroad/executor';
