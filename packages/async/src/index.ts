import {
  type Backend,
  type Executor,
  ExecutorCore,
  type ExecutorOptions,
  isAsyncFunction,
  loadTaskModule,
  type ModuleReference,
  resolveExecutorOptions,
  runInTaskContext,
  type TaskCall,
  type TaskContext,
  type TaskFunction,
  type TaskModuleExports,
  taskFunction,
  taskModuleUrl,
} from '@forkroad/executor';

export type AsyncExecutorOptions = ExecutorOptions;

/**
 * The event-loop executor: runs task functions in this thread, at most `concurrency` at once.
 * For I/O-bound work; a task that computes blocks every other task (and the whole process) while
 * it computes, and a synchronous loop cannot be preempted: a timeout answers the caller once the
 * loop yields, and the task keeps its slot until it really settles.
 *
 * `taskSignal()` works anywhere in a task that is an `async function`; in a task that is a plain
 * function, call it in the function's synchronous part (its first line, say): the callbacks a plain
 * function schedules do not carry the task's context, which keeps promise hooks off on Node 20.
 *
 * `module` is the task module: a URL, a file URL string, an absolute path, or the imported module
 * object itself.
 */
export function createExecutor<M = Record<string, TaskFunction>>(
  module: ModuleReference | M,
  options?: AsyncExecutorOptions,
): Executor<M> {
  const resolved = resolveExecutorOptions(options, [], '@forkroad/async createExecutor');
  return new ExecutorCore<M>(new EventLoopBackend(module), resolved, false);
}

class EventLoopBackend implements Backend {
  private tasks: TaskModuleExports | null = null;
  // Looked up once per name: a module namespace lookup is a measurable share of a tiny task.
  private readonly resolved = new Map<string, { fn: TaskFunction; async: boolean }>();
  private readonly loading: Promise<void> | null = null;

  constructor(module: unknown) {
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

  run(call: TaskCall, task: TaskContext): unknown {
    if (this.tasks === null) return this.loading!.then(() => this.run(call, task));
    let found = this.resolved.get(call.name);
    if (found === undefined) {
      const fn = taskFunction(this.tasks, call.name);
      found = { fn, async: isAsyncFunction(fn) };
      this.resolved.set(call.name, found);
    }
    return runInTaskContext(task, found.fn, call.args, found.async);
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
  QueueFullError,
  SerializationError,
  type SettledOutcome,
  type SubmitOptions,
  TimeoutError,
  taskSignal,
  WorkerCrashedError,
} from '@forkroad/executor';
