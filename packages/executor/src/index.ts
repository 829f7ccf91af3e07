export { type AsCompletedOptions, asCompleted, type SettledOutcome } from './as-completed.js';
export { DROPPED_PROTOTYPE_WARNING, droppedPrototype, warnOfDroppedPrototypes } from './clone-warning.js';
export {
  type Backend,
  type BatchCall,
  type BatchResult,
  ExecutorCore,
  type RunningTask,
  stageBelowMs,
  type TaskCall,
} from './core.js';
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
export { runInTaskContext, type TaskContext, taskSignal } from './task-context.js';
export { isAsyncFunction, loadTaskModule, type TaskModuleExports, taskFunction } from './task-module.js';
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
