/** What a backend gives the conformance suite, and what the suite runs its tasks from. */
import type { Executor, ExecutorOptions } from '../types.js';
import type * as Tasks from './tasks.js';

export type ConformanceTasks = typeof Tasks;

/** The task module the suite runs (compiled JavaScript, loadable by any backend). */
export const conformanceTasksUrl = new URL('./tasks.js', import.meta.url);
/** A task module that throws while loading. */
export const brokenModuleUrl = new URL('./broken-module.js', import.meta.url);
/** A task module that takes `loadMs` (1.5 s) to load. */
export const slowModuleUrl = new URL('./slow-module.js', import.meta.url);

export interface ConformanceSubject {
  /** Shown in the test names. */
  name: string;
  createExecutor(module: URL | string, options?: ExecutorOptions & Record<string, unknown>): Executor<any>;
  /** Faults this backend survives; off by default. */
  faults?: {
    /** A worker that exits or dies of an uncaught exception fails only its task. */
    crash?: boolean;
    /** A synchronous loop past its timeout is stopped by replacing its worker. */
    stuckLoop?: boolean;
    /** Options that cap the worker's heap, for the out-of-memory test; omit to skip it. */
    outOfMemory?: Record<string, unknown>;
    /** Arguments and results are copied, and uncopyable ones reject with SerializationError. */
    serialization?: boolean;
  };
  /** fast-check runs per property (default 25): keep it low where executors are costly to start. */
  numRuns?: number;
}

export type Executed = Executor<ConformanceTasks>;

/** Makes an executor of the subject's over the suite's task module. */
export type Make = (options?: ExecutorOptions & Record<string, unknown>) => Executed;

/** How long any single test may take; generous, because CI machines are slow and shared. */
export const testTimeout = 60_000;
