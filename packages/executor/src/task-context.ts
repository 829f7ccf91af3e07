import { AsyncLocalStorage } from 'node:async_hooks';

/** What task code can ask about the task it runs in. */
export interface TaskContext {
  readonly signal: AbortSignal;
}

// One store per process (or worker), shared through a global symbol, so that a task module which
// resolves its own copy of @forkroad/executor still sees the backend's context.
const storageKey = Symbol.for('forkroad.taskContext');
const globalStore = globalThis as { [storageKey]?: AsyncLocalStorage<TaskContext> };
const storage = (globalStore[storageKey] ??= new AsyncLocalStorage<TaskContext>());

const neverAborted = new AbortController().signal;

/**
 * The AbortSignal of the task now running: it fires on the task's timeout, on the caller's abort,
 * and when a map the task belongs to is cancelled. Call it inside task code, on any backend, and
 * stop cooperatively when it fires. Outside a task (calling a task function directly) it returns a
 * signal that never fires, so task functions stay usable on their own.
 */
export function taskSignal(): AbortSignal {
  return storage.getStore()?.signal ?? neverAborted;
}

/** Runs `fn` with `context` as the current task's context (for backends). */
export function runInTaskContext<T>(context: TaskContext, fn: () => T): T {
  return storage.run(context, fn);
}
