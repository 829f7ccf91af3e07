/**
 * A backend whose tasks the test settles by hand, to drive `ExecutorCore` step by step and see
 * exactly what the core hands a backend and when.
 */
import {
  type Backend,
  ExecutorCore,
  type ExecutorOptions,
  type RunningTask,
  resolveExecutorOptions,
  type TaskCall,
} from '../src/index.js';

export interface HandedTask {
  call: TaskCall;
  task: RunningTask;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export class FakeBackend implements Backend {
  /** Every task the core has handed over, in order; settled ones stay. */
  readonly handed: HandedTask[] = [];
  closed = 0;

  constructor(
    readonly stagingDepth = 0,
    readonly reportsStart = false,
  ) {}

  run(call: TaskCall, task: RunningTask): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.handed.push({ call: { name: call.name, args: [...call.args] }, task, resolve, reject });
    });
  }

  async close(): Promise<void> {
    this.closed++;
  }

  /** The args of each task handed over so far. */
  get args(): unknown[][] {
    return this.handed.map((h) => h.call.args);
  }
}

export function coreOver(backend: Backend, options: ExecutorOptions = {}, batchesPayOff = false) {
  return new ExecutorCore<any>(backend, resolveExecutorOptions(options, [], 'fake backend'), batchesPayOff);
}

/** Lets every pending promise callback run (a macrotask turn). */
export function settleCallbacks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The outcome of a promise, without an unhandled rejection meanwhile. */
export function outcome<T>(promise: Promise<T>): { value?: T; error?: unknown; settled: boolean } {
  const seen: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(seen, { value, settled: true }),
    (error: unknown) => Object.assign(seen, { error, settled: true }),
  );
  return seen;
}
