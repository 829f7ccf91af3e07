/**
 * The minimal backend of the README ("Writing a backend"), kept here so that the conformance
 * suite checks the core through it.
 */
import {
  type Backend,
  ExecutorCore,
  type ExecutorOptions,
  loadTaskModule,
  type ModuleReference,
  resolveExecutorOptions,
  runInTaskContext,
  type TaskFunction,
  taskFunction,
  taskModuleUrl,
} from '../dist/index.js';

export function createExecutor<M = Record<string, TaskFunction>>(
  module: ModuleReference,
  options?: ExecutorOptions,
) {
  const tasks = loadTaskModule(taskModuleUrl(module));
  tasks.catch(() => {}); // reported to every task and to ready() instead
  const backend: Backend = {
    reportsStart: true, // run() calls task.started()
    run: async (call, task) => {
      const fn = taskFunction(await tasks, call.name);
      task.started(); // the module has loaded: the task's timeout counts from here
      return runInTaskContext(task, fn, call.args); // may return a value or a promise
    },
    checkTask: async (name) => {
      taskFunction(await tasks, name); // a TypeError for a name the module lacks
    },
    ready: async () => {
      await tasks;
    },
    close: async () => {},
  };
  return new ExecutorCore<M>(backend, resolveExecutorOptions(options, [], 'my backend'), false);
}
