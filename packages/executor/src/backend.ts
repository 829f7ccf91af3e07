/**
 * The API for backend authors: what `ExecutorCore` hands a backend and what it asks of it.
 */
import type { TransferListItem } from 'node:worker_threads';
import type { TaskContext } from './task-context.js';

/** One call of a task function. */
export interface TaskCall {
  name: string;
  args: unknown[];
  transfer?: readonly TransferListItem[] | undefined;
}

/** Several calls of one task function, one input each, run one after another where they land. */
export interface BatchCall {
  name: string;
  inputs: unknown[];
}

export interface BatchResult {
  /** The results of the batch's inputs, in order: all of them, or those ahead of `failure`. */
  results: unknown[];
  /**
   * Set when input `results.length` failed: the batch stopped there, and `map` still yields the
   * results ahead of it. (A batch that rejects instead loses them.)
   */
  failure?: { error: unknown };
  /** Time spent running the batch where it ran, in ms; lets `chunkSize: 'auto'` see messaging cost. */
  durationMs?: number;
}

/** What a backend is handed for each task it runs. */
export interface RunningTask extends TaskContext {
  /**
   * Calls `listener` once when the caller stops waiting (timeout, abort, cancellation), or at
   * once if that has happened; `null` removes it. Cheaper than a listener on `signal`.
   */
  onAbort(listener: ((reason: unknown) => void) | null): void;
  /**
   * The task really starts now: its timeout counts from here. A backend that stages or sets
   * `reportsStart` calls it for every task, after any wait of its own (a worker starting, the task
   * module loading), so that the wait does not count against the task's timeout.
   */
  started(): void;
  /**
   * A staging backend that reports starts may call this when the task becomes the one its place
   * runs next, before it can start (its worker is still loading the task module): the task then
   * counts as running, and no longer as queued (`cancelPending` leaves it be), while its timeout
   * waits for `started()`.
   */
  placed(): void;
}

/**
 * How a backend starts tasks. That is all a backend has to say: queueing, concurrency, timeouts,
 * aborts, map, stats, the caller's async context and shutdown are the core's.
 *
 * `task.signal` (or `task.onAbort`) fires when the caller stops waiting (timeout, abort,
 * cancellation). The promise returned must settle only when the task has really stopped, because
 * until then it holds its slot: a backend that can stop a stuck task (by replacing its worker)
 * settles it once it has.
 */
export interface Backend {
  /**
   * How many tasks each of the `concurrency` places may hold staged, beyond the one it runs, to
   * start the moment the task ahead ends: that hides the message round trip between two tasks of
   * a worker. A backend that stages calls `task.started()` when each task really starts. The core
   * stages only while tasks are short (see `stageBelowMs`), so a staged task never waits long.
   */
  readonly stagingDepth?: number;
  /**
   * true: the backend calls `task.started()` for every task when it really starts (once a worker
   * has started or the task module has loaded), and timeouts count from then, not from `run`.
   * A staging backend always does.
   */
  readonly reportsStart?: boolean;
  /** Runs one call; may return the result synchronously. */
  run(call: TaskCall, task: RunningTask): unknown;
  /** Runs a batch; when absent the core runs the batch's calls one after another through `run`. */
  runBatch?(call: BatchCall, task: RunningTask): Promise<BatchResult>;
  /**
   * Resolves once tasks can start at once (the task module loaded, workers started); rejects with
   * the reason they never will (a module that fails to load). `executor.ready()` returns it; when
   * absent, `ready()` resolves at once.
   */
  ready?(): Promise<void>;
  /**
   * Throws, or rejects with, a TypeError when the task module has no function `name`. `map` asks
   * when its input gives it nothing to run, so that `map('nope', [])` fails as a task would; when
   * absent, such a map ends quietly.
   */
  checkTask?(name: string): void | Promise<void>;
  /** Called once, when shutdown has let every task settle; resolves once every worker has exited. */
  close(): Promise<void>;
}
