import type { ResourceLimits } from 'node:worker_threads';
import type { Executor, ExecutorOptions, ModuleReference, TaskFunction } from '@forkroad/executor';
import { createWorkerPoolExecutor, type WorkerPoolFlavour } from '@forkroad/worker-pool';

/** Options of @forkroad/threads. */
export interface ThreadsOptions extends ExecutorOptions {
  /** V8 heap limits per worker thread (worker_threads `resourceLimits`); a worker over them crashes, alone. */
  resourceLimits?: ResourceLimits;
  /** Start a fresh worker for every task (clean module state, at the cost of a start-up each). */
  isolateWorkers?: boolean;
  /** ms a worker may sit idle before it exits (it is started again when work comes). Default: never. */
  idleTimeout?: number;
  /**
   * Workers started with the executor (at most `concurrency`), each loading the task module, and
   * kept: one that ends is started again, and idleTimeout does not end them. Default 0: workers
   * start with the first tasks. `await executor.ready()` starts them all and waits for them.
   */
  minWorkers?: number;
}

const flavour: WorkerPoolFlavour = {
  runtime: 'worker_threads',
  name: '@forkroad/threads',
  optionKeys: ['resourceLimits', 'isolateWorkers', 'idleTimeout', 'minWorkers'],
};

/**
 * The worker_threads executor: task functions run in a pool of worker threads, in parallel, each
 * with its own heap. The default for CPU-bound JavaScript. A worker that crashes fails only its
 * task and is replaced; a task past its timeout is asked to stop through `taskSignal()` and, if it
 * has not within a short grace period, its worker is terminated and replaced.
 *
 * `module` is the task module: a URL, a file URL string or an absolute path.
 */
export function createExecutor<M = Record<string, TaskFunction>>(
  module: ModuleReference,
  options?: ThreadsOptions,
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
