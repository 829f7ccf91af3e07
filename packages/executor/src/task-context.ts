import { AsyncLocalStorage } from 'node:async_hooks';
import { isThenable } from './is-thenable.js';

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

/** Tasks running in the storage (across their awaits) that may disable it once they have all settled. */
let releasingTasks = 0;

function releasingTaskSettled(): void {
  // No task needs the storage now: disable it, which turns promise hooks off again (unless the
  // application's own storages keep them on), so that the application's promise code runs at full
  // speed after the executor's tasks, not 2-7x slower. The next task enables it again.
  if (--releasingTasks === 0) storage.disable();
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
  return (synchronousContext ?? storage.getStore())?.signal ?? neverAborted;
}

/**
 * Calls `fn(...args)` with `context` as the current task's context (for backends).
 *
 * With `releaseWhenIdle` (for a backend that runs tasks in the application's own thread), the
 * storage is disabled again once no task started this way is running: on Node 20 and 22 that
 * turns promise hooks back off for the application's own code.
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
  releaseWhenIdle = false,
): T {
  if (acrossAwaits || storage.getStore() !== undefined) {
    const result = storage.run(context, fn, ...args);
    if (releaseWhenIdle && storageCostsEveryPromise && isThenable(result)) {
      releasingTasks++;
      result.then(releasingTaskSettled, releasingTaskSettled);
    }
    return result;
  }
  const outer = synchronousContext;
  synchronousContext = context;
  try {
    return fn(...args);
  } finally {
    synchronousContext = outer;
  }
}
