import type { Executor, ModuleReference, TaskFunction } from '@forkroad/executor';
import { createWorkerPoolExecutor, type ThreadsOptions } from '@forkroad/worker-pool';

export type { ThreadsOptions } from '@forkroad/worker-pool';

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
  return createWorkerPoolExecutor<M>('worker_threads', module, options);
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
