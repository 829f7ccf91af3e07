export {
  asCompleted,
  CancelledError,
  ExecutorClosedError,
  type ExecutorStats,
  type MapOptions,
  QueueFullError,
  SerializationError,
  type SubmitOptions,
  TimeoutError,
  taskSignal,
  WorkerCrashedError,
} from '@forkroad/executor';
export type { Connection } from './connection.js';
export { JobLostError } from './errors.js';
export { type Host, type HostInfo, type HostOptions, type HostStats, startHost } from './host.js';
export {
  createExecutor,
  DistributedExecutor,
  type DistributedOptions,
  type DistributedSubmitOptions,
  defaultConcurrency,
  type FleetStats,
} from './producer.js';
export { heartbeat, lockSettings } from './settings.js';
