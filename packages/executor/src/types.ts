import type { TransferListItem } from 'node:worker_threads';
/**
 * The executor contract's types. Task names, argument and result types are inferred from the
 * task module's type: `createExecutor<typeof import('./tasks.js')>(url)`.
 */

/** Any function a task module may export. */
export type TaskFunction = (...args: any[]) => unknown;

/** The names of a task module's exports that are functions. */
export type TaskName<M> = {
  [K in keyof M]: M[K] extends TaskFunction ? K : never;
}[keyof M] &
  string;

/** The argument list of task `N`. */
export type TaskArgs<M, N extends TaskName<M>> = M[N] extends (...args: infer A) => unknown ? A : never;

/** The single argument `map` passes to task `N` for each input. */
export type TaskInput<M, N extends TaskName<M>> = TaskArgs<M, N> extends [] ? undefined : TaskArgs<M, N>[0];

/** What task `N` resolves to, once awaited. */
export type TaskResult<M, N extends TaskName<M>> = M[N] extends (...args: any[]) => infer R
  ? Awaited<R>
  : never;

/** Options every backend's `createExecutor` takes; backends add their own keys. */
export interface ExecutorOptions {
  /**
   * async: tasks in flight at once; threads and processes: workers.
   * Default: `os.availableParallelism()`. A positive integer.
   */
  concurrency?: number;
  /**
   * How many tasks may wait in the queue (beyond the running ones) before `submit` rejects with
   * `QueueFullError`. Default: unbounded. `map` is bounded by its own backpressure and is not counted.
   */
  maxQueue?: number;
  /** Default per-task time limit in ms, counted from when the task starts running. Default: none. */
  timeout?: number;
}

export interface SubmitOptions {
  /** Aborting it rejects the task with `signal.reason` and, if it is running, fires its `taskSignal()`. */
  signal?: AbortSignal;
  /** Time limit in ms for this task, overriding the executor's `timeout`; `Infinity` for none. */
  timeout?: number;
  /** threads: objects to transfer (not copy) to the worker, as in `postMessage`. Ignored elsewhere. */
  transfer?: readonly TransferListItem[];
}

export interface MapOptions {
  /** true (default): results in input order; false: in completion order. */
  ordered?: boolean;
  /** Tasks (or batches) of this map in flight at once. Default: the executor's concurrency. */
  concurrency?: number;
  /**
   * Inputs sent per message. A number, or 'auto' to size batches from measured task time so that
   * tiny tasks are not swamped by messaging. Default 1.
   */
  chunkSize?: number | 'auto';
  /** Per-task time limit in ms (a batch gets `timeout × its size`). */
  timeout?: number;
  /** Aborting it ends the iteration with `signal.reason` and cancels what is pending and running. */
  signal?: AbortSignal;
}

export interface ShutdownOptions {
  /** Reject queued tasks with `CancelledError` instead of running them. Default false. */
  cancelPending?: boolean;
}

/** Counters since the executor was created. */
export interface ExecutorStats {
  /**
   * Tasks waiting for a free slot, including those a worker holds staged behind its running task
   * (threads and processes, while tasks are short): they have not started.
   */
  queued: number;
  /**
   * Tasks occupying a slot. A task whose caller has already been answered (timeout, abort) stays
   * here until it really stops, because it still holds its slot.
   */
  running: number;
  /** Tasks whose caller received a result. */
  completed: number;
  /** Tasks whose caller received an error: thrown by the task, timeout, crash, serialization. */
  failed: number;
  /** Tasks whose caller received an abort reason or `CancelledError`. */
  cancelled: number;
}

export interface Executor<M = Record<string, TaskFunction>> extends AsyncDisposable {
  /** Runs task `name` with `args`; resolves with its result. */
  submit<N extends TaskName<M>>(
    name: N,
    args: TaskArgs<M, N>,
    options?: SubmitOptions,
  ): Promise<TaskResult<M, N>>;
  /**
   * Runs task `name` once per input (each input is the task's single argument), pulling inputs
   * lazily. The first failure ends the iteration with that error and cancels the rest; leaving a
   * `for await` early cancels what is pending and running for this map.
   */
  map<N extends TaskName<M>>(
    name: N,
    inputs: Iterable<TaskInput<M, N>> | AsyncIterable<TaskInput<M, N>>,
    options?: MapOptions,
  ): AsyncIterableIterator<TaskResult<M, N>>;
  /**
   * Resolves once tasks can start at once: the task module is loaded and, on threads and
   * processes, the workers started eagerly (`minWorkers`) are up. Rejects with the reason when the
   * task module cannot be loaded. Submitting without awaiting it is fine: tasks wait as needed.
   */
  ready(): Promise<void>;
  /**
   * Stops accepting work, waits for running work, runs (or with `cancelPending` cancels) queued
   * work, and resolves once every worker has exited. Calling it again returns the same promise.
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
  stats(): ExecutorStats;
}

/** What a task module reference may be: a URL, a file URL string or an absolute path. */
export type ModuleReference = URL | string;
