import type { Executor, ModuleReference, TaskFunction } from '@forkroad/executor';
import { createWorkerPoolExecutor, type ProcessesOptions } from '@forkroad/worker-pool';

export type { ProcessesOptions } from '@forkroad/worker-pool';

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
  return createWorkerPoolExecutor<M>('child_process', module, options);
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
