import { AsyncLocalStorage } from 'node:async_hooks';

/** What task code can ask about the task it runs in. */
export interface TaskContext {
  readonly signal: AbortSignal;
}

// One store per process (or worker), shared through a global symbol, so that a task module which
// resolves its own copy of @forkroad/executor still sees the backend's context.
const storageKey = Symbol.for('forkroad.taskContext');
const globalStore = globalThis as { [storageKey]?: AsyncLocalStorage<TaskContext> };
globalStore[storageKey] ??= new AsyncLocalStorage<TaskContext>();
const storage = globalStore[storageKey];

const neverAborted = new AbortController().signal;

/**
 * Whether this Node's AsyncLocalStorage runs on async hooks (Node 20 and 22 by default), where an
 * enabled storage keeps promise hooks on for the whole thread, slowing every promise in it. Node 24
 * carries contexts without hooks (AsyncContextFrame), at no cost to other code.
 */
const storageCostsEveryPromise = '_propagate' in AsyncLocalStorage.prototype;

/** Schedulers with tasks handed to their backend, and maps in progress: see retainTaskStorage. */
let storageHolders = 0;

/**
 * Keeps the storage enabled until as many releaseTaskStorage() calls: a scheduler retains it while
 * any of its tasks runs, and a map while it is in progress (its tasks often all settle before the
 * consumer takes the next result). Once nothing holds it, it is disabled, which turns promise hooks
 * off again (unless the application's own storages keep them on), so that the application's
 * promise code runs at full speed after the executor's tasks, not 2-7x slower; the next task
 * enables it again. A counter rather than a callback on every task's promise: a tiny task's cost
 * is mostly allocation. The count also tells taskSignal() whether tasks are running at all.
 */
export function retainTaskStorage(): void {
  storageHolders++;
}

export function releaseTaskStorage(): void {
  if (--storageHolders === 0 && storageCostsEveryPromise) storage.disable();
}

/** The warning's `code`, for `process.on('warning')` filters and `--disable-warning`. */
export const NO_TASK_WARNING = 'FORKROAD_TASK_SIGNAL_OUTSIDE_TASK';

let warnedOfNoTask = false;

/**
 * taskSignal() found no task while some executor's tasks run: most likely a task of
 * `@forkroad/async` read it after an await without `taskSignalAfterAwait: true`, where it would
 * silently never fire. Said once per thread.
 */
function warnOfNoTask(): void {
  if (warnedOfNoTask) return;
  warnedOfNoTask = true;
  process.emitWarning(
    'taskSignal() was called outside a running task while tasks are running, and returns a signal that never fires. In an @forkroad/async task, read it before the first await (keep it in a variable), or create the executor with { taskSignalAfterAwait: true } to read it after awaits too.',
    { type: '@forkroad/executor warning', code: NO_TASK_WARNING },
  );
}

/** The task whose synchronous part is running right now (see runInTaskContext). */
let synchronousContext: TaskContext | undefined;

/**
 * The AbortSignal of the task now running: it fires on the task's timeout, on the caller's abort,
 * and when a map the task belongs to is cancelled. Call it inside task code, on any backend, and
 * stop cooperatively when it fires. Outside a task (calling a task function directly) it returns a
 * signal that never fires, so task functions stay usable on their own.
 */
export function taskSignal(): AbortSignal {
  const context = synchronousContext ?? storage.getStore();
  if (context !== undefined) return context.signal;
  if (storageHolders !== 0) warnOfNoTask();
  return neverAborted;
}

/**
 * Calls `fn(...args)` with `context` as the current task's context (for backends). In a thread
 * with executors, the storage is disabled again whenever none of them has a task running and no
 * map is in progress (see retainTaskStorage).
 *
 * With `acrossAwaits` the context follows `fn` through its awaits (AsyncLocalStorage). Without
 * it, only `fn`'s synchronous part sees it: on Node 20 the first AsyncLocalStorage.run turns on
 * promise hooks for the whole thread, which roughly halves the throughput of every promise in it,
 * so the event-loop backend pays that only for tasks that are async functions. Once some task's
 * context is already in force (a task started from inside another task), a new context must be
 * stored too, or the callbacks of the new task would see the outer task's signal.
 */
export function runInTaskContext<A extends unknown[], T>(
  context: TaskContext,
  fn: (...args: A) => T,
  args: A,
  acrossAwaits = true,
): T {
  if (acrossAwaits || storage.getStore() !== undefined) return storage.run(context, fn, ...args);
  const outer = synchronousContext;
  synchronousContext = context;
  try {
    return fn(...args);
  } finally {
    synchronousContext = outer;
  }
}
