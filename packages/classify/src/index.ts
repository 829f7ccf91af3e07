export {
  ALREADY_PARALLEL_AT,
  amdahl,
  applyPenalties,
  baseConfidence,
  CPU_BOUND_AT,
  computeShare,
  DEFAULT_ASYNC_WORKERS,
  defaultPoolSize,
  estimateSpeedups,
  FAILED_CONFIDENCE_CAP,
  IO_BOUND_AT,
  karpFlatt,
  kindOf,
  MAX_POOL_WORKERS,
  MODELS,
  PENALTY,
  type Penalty,
  RUN_QUEUE_SHOWN_AT,
  type SpeedupInput,
  timeBreakdown,
  unstarvedWall,
} from './analysis.js';
export {
  type ClassifyCommandOptions,
  CommandStartError,
  classifyCommand,
  type OutputTarget,
  TOKEN_VARIABLE,
} from './command.js';
export { type ClassifyFunctionOptions, classifyFunction } from './function.js';
export { type ClassifyProcessOptions, classifyProcess, ProcessAccessError } from './process.js';
export type * from './types.js';
