import {
  type Backend,
  type Executor,
  ExecutorCore,
  type ExecutorOptions,
  isAsyncFunction,
  loadTaskModule,
  type ModuleReference,
  type RunningTask,
  resolveExecutorOptions,
  runInTaskContext,
  type TaskCall,
  type TaskFunction,
  type TaskModuleExports,
  taskFunction,
  taskModuleUrl,
} from '@forkroad/executor';

export interface AsyncExecutorOptions extends ExecutorOptions {
  /**
   * false (default): `taskSignal()` is read in a task's synchronous part — before its first
   * `await`; keep it in a variable — as for plain functions. Read after an await it returns a
   * signal that never fires, and a process warning says so once. true: `taskSignal()` works
   * anywhere in a task that is an `async function`, after its awaits too, through an
   * AsyncLocalStorage: on Node 20 and 22 that turns promise hooks on for the whole thread while such
   * tasks run (every promise in it is slower, not only the tasks'; they are turned off again once
   * no task runs), and on Node 24 it costs each task a context of its own: tiny async tasks run
   * at a fraction of the speed (the package's `overhead-async` benchmark measures both).
   */
  taskSignalAfterAwait?: boolean;
}

/**
 * The event-loop executor: runs task functions in this thread, at most `concurrency` at once.
 * For I/O-bound work; a task that computes blocks every other task (and the whole process) while
 * it computes, and a synchronous loop cannot be preempted: a timeout answers the caller once the
 * loop yields, and the task keeps its slot until it really settles.
 *
 * Call `taskSignal()` in a task's synchronous part (its first line, say, before any `await`) and
 * keep the signal: by default the task's context is not carried across awaits and callbacks, which
 * keeps promise hooks off on Node 20 and 22 (`taskSignalAfterAwait: true` carries it, at that cost).
 *
 * `module` is the task module: a URL, a file URL string, an absolute path, or the imported module
 * object itself.
 */
export function createExecutor<M = Record<string, TaskFunction>>(
  module: ModuleReference | M,
  options?: AsyncExecutorOptions,
): Executor<M> {
  const resolved = resolveExecutorOptions(
    options,
    ['taskSignalAfterAwait'],
    '@forkroad/async createExecutor',
  );
  const afterAwait = options?.taskSignalAfterAwait ?? false;
  if (typeof afterAwait !== 'boolean') {
    throw new TypeError(`taskSignalAfterAwait must be a boolean, got ${typeof afterAwait}`);
  }
  return new ExecutorCore<M>(new EventLoopBackend(module, afterAwait), resolved, false);
}

class EventLoopBackend implements Backend {
  private tasks: TaskModuleExports | null = null;
  // Looked up once per name: a module namespace lookup is a measurable share of a tiny task.
  private readonly resolved = new Map<string, { fn: TaskFunction; async: boolean }>();
  private readonly loading: Promise<void> | null = null;

  constructor(
    module: unknown,
    /** Whether async-function tasks carry their context across awaits (taskSignalAfterAwait). */
    private readonly afterAwait: boolean,
  ) {
    if (typeof module === 'object' && module !== null && !(module instanceof URL)) {
      this.tasks = module as TaskModuleExports;
      return;
    }
    this.loading = loadTaskModule(taskModuleUrl(module)).then((loaded) => {
      this.tasks = loaded;
    });
    // Failing to load is reported to every submit; nobody submitting is not an unhandled rejection.
    this.loading.catch(() => {});
  }

  /** The first tasks wait for the module to load: their timeouts count from when they start. */
  readonly reportsStart = true;

  run(call: TaskCall, task: RunningTask): unknown {
    if (this.tasks === null) return this.loading!.then(() => this.run(call, task));
    const found = this.lookUp(this.tasks, call.name);
    task.started();
    return runInTaskContext(task, found.fn, call.args, found.async);
  }

  async checkTask(name: string): Promise<void> {
    await this.ready();
    this.lookUp(this.tasks!, name);
  }

  ready(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  private lookUp(tasks: TaskModuleExports, name: string): { fn: TaskFunction; async: boolean } {
    let found = this.resolved.get(name);
    if (found === undefined) {
      const fn = taskFunction(tasks, name);
      found = { fn, async: this.afterAwait && isAsyncFunction(fn) };
      this.resolved.set(name, found);
    }
    return found;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export {
  type AsCompletedOptions,
  asCompleted,
  CancelledError,
  type Executor,
  ExecutorClosedError,
  type ExecutorOptions,
  type ExecutorStats,
  type MapOptions,
  NO_TASK_WARNING,
  QueueFullError,
  SerializationError,
  type SettledOutcome,
  type SubmitOptions,
  TimeoutError,
  taskSignal,
  WorkerCrashedError,
} from '@forkroad/executor';
