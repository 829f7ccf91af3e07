export { type AsCompletedOptions, asCompleted, type SettledOutcome } from './as-completed.js';
export type { Backend, BatchCall, BatchResult, RunningTask, TaskCall } from './backend.js';
export { DROPPED_PROTOTYPE_WARNING, droppedPrototype, warnOfDroppedPrototypes } from './clone-warning.js';
export { ExecutorCore, stageBelowMs } from './core.js';
export {
  CancelledError,
  deserializeError,
  ExecutorClosedError,
  isSerializedError,
  QueueFullError,
  SerializationError,
  type SerializedError,
  serializeError,
  TimeoutError,
  WorkerCrashedError,
} from './errors.js';
export { taskModuleUrl } from './module-reference.js';
export { NO_TASK_WARNING, runInTaskContext, type TaskContext, taskSignal } from './task-context.js';
export {
  isAsyncFunction,
  loadTaskModule,
  shapeOf,
  type TaskModuleExports,
  type TaskModuleShape,
  taskFunction,
  taskNameError,
} from './task-module.js';
export type {
  Executor,
  ExecutorOptions,
  ExecutorStats,
  MapOptions,
  ModuleReference,
  ShutdownOptions,
  SubmitOptions,
  TaskArgs,
  TaskFunction,
  TaskInput,
  TaskName,
  TaskResult,
} from './types.js';
export { type ResolvedExecutorOptions, resolveExecutorOptions } from './validate.js';
