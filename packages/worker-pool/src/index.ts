import type { ResourceLimits } from 'node:worker_threads';
import {
  type Backend,
  type BatchCall,
  type BatchResult,
  type Executor,
  ExecutorCore,
  type ExecutorOptions,
  type ModuleReference,
  type RunningTask,
  resolveExecutorOptions,
  SerializationError,
  type TaskCall,
  type TaskFunction,
  taskModuleUrl,
  warnOfDroppedPrototypes,
} from '@forkroad/executor';
import { type Carried, pack } from './protocol.js';
import { type Runtime, type SlotSettings, type TaskRequest, unwrap, WorkerSlot } from './slot.js';

export type { Runtime } from './slot.js';

/** Options of @forkroad/threads. */
export interface ThreadsOptions extends ExecutorOptions {
  /** V8 heap limits per worker thread (worker_threads `resourceLimits`); a worker over them crashes, alone. */
  resourceLimits?: ResourceLimits;
  /** Start a fresh worker for every task (clean module state, at the cost of a start-up each). */
  isolateWorkers?: boolean;
  /** ms a worker may sit idle before it exits (it is started again when work comes). Default: never. */
  idleTimeout?: number;
}

/** Options of @forkroad/processes. */
export interface ProcessesOptions extends ExecutorOptions {
  /** The workers' environment. Default: this process's `process.env`, as Python's ProcessPoolExecutor. */
  env?: Record<string, string | undefined>;
  /** Node options for the workers (e.g. ['--max-old-space-size=256', '--import', 'tsx']). Default: `process.execArgv`. */
  execArgv?: string[];
  /** ms a worker may sit idle before it exits (it is started again when work comes). Default: never. */
  idleTimeout?: number;
  /** Start a fresh worker process for every task. */
  isolateWorkers?: boolean;
}

/** How long a task may go on after its timeout or abort before its worker is terminated. */
export const terminateGraceMs = 500;

/**
 * Tasks staged per worker while tasks are short: enough to keep a worker busy through the round
 * trip of a result, in which the parent can hand over several tiny tasks.
 */
const stagingDepth = 4;

/** The longest a timer can wait; "never" for an idle worker. */
const forever = 2 ** 31 - 1;

const runtimeKeys: Record<Runtime, readonly string[]> = {
  worker_threads: ['resourceLimits', 'isolateWorkers', 'idleTimeout'],
  child_process: ['env', 'execArgv', 'idleTimeout', 'isolateWorkers'],
};

const packageOf: Record<Runtime, string> = {
  worker_threads: '@forkroad/threads',
  child_process: '@forkroad/processes',
};

/**
 * The executor both parallel backends share: the core's queue and guarantees in front, one
 * one-worker tinypool per slot behind.
 */
export function createWorkerPoolExecutor<M = Record<string, TaskFunction>>(
  runtime: Runtime,
  module: ModuleReference,
  options: (ThreadsOptions & ProcessesOptions) | undefined,
): Executor<M> {
  const where = `${packageOf[runtime]} createExecutor`;
  const resolved = resolveExecutorOptions(options, runtimeKeys[runtime], where);
  const moduleUrl = taskModuleUrl(module);
  return new ExecutorCore<M>(
    new WorkerPoolBackend(runtime, moduleUrl, resolved.concurrency, options ?? {}),
    resolved,
    true,
  );
}

class WorkerPoolBackend implements Backend {
  private readonly slots: WorkerSlot[] = [];
  private readonly settings: SlotSettings;
  /** Tasks staged per worker; none with isolateWorkers, where a worker runs one task. */
  readonly stagingDepth: number;

  constructor(
    runtime: Runtime,
    private readonly moduleUrl: string,
    concurrency: number,
    options: ThreadsOptions & ProcessesOptions,
  ) {
    const idleTimeout =
      options.idleTimeout === undefined ? undefined : nonNegative(options.idleTimeout, 'idleTimeout');
    if (options.isolateWorkers !== undefined && typeof options.isolateWorkers !== 'boolean') {
      throw new TypeError(`isolateWorkers must be a boolean, got ${typeof options.isolateWorkers}`);
    }
    if (
      options.execArgv !== undefined &&
      !(Array.isArray(options.execArgv) && options.execArgv.every((a) => typeof a === 'string'))
    ) {
      throw new TypeError('execArgv must be an array of strings');
    }
    if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null)) {
      throw new TypeError('env must be an object of environment variables');
    }
    this.stagingDepth = options.isolateWorkers ? 0 : stagingDepth;
    this.settings = {
      runtime,
      isolateWorkers: options.isolateWorkers ?? false,
      idleTimeoutMs: idleTimeout ?? null,
      terminateGraceMs,
      exiting: new Set(),
      tinypool: {
        filename: new URL('./worker-entry.js', import.meta.url).href,
        runtime,
        minThreads: 0,
        maxThreads: 1,
        // tinypool runs one task per worker, the one that hands over the channel; tasks go on
        // that channel, so tinypool must not park the thread in Atomics.wait, nor retire it.
        useAtomics: false,
        idleTimeout: forever,
        resourceLimits: options.resourceLimits,
        execArgv: options.execArgv,
        // Children inherit the environment unless told otherwise (tinypool would pass none).
        env: runtime === 'child_process' ? withoutUndefined(options.env ?? process.env) : undefined,
        serialization: 'json',
      },
    };
    for (let i = 0; i < concurrency; i++) this.slots.push(new WorkerSlot(this.settings));
  }

  async run(call: TaskCall, task: RunningTask): Promise<unknown> {
    const request = this.request('call', call.name, call.args);
    // Only threads can transfer; for a process the buffer would be detached for nothing.
    const transfer = this.settings.runtime === 'worker_threads' ? call.transfer : undefined;
    return unwrap(await this.leastLoaded().run(request, task, transfer));
  }

  async runBatch(batch: BatchCall, task: RunningTask): Promise<BatchResult> {
    const response = await this.leastLoaded().run(this.request('batch', batch.name, batch.inputs), task);
    const results = unwrap(response) as unknown[];
    return { results, durationMs: response.ok ? response.durationMs : undefined };
  }

  /** An idle slot, else one with room to stage: the core never hands out more than there is room for. */
  private leastLoaded(): WorkerSlot {
    let best = this.slots[0]!;
    for (const slot of this.slots) {
      if (slot.load === 0) return slot;
      if (slot.load < best.load) best = slot;
    }
    return best;
  }

  /** A call's arguments or a batch's inputs, packed here, where a failure is caught. */
  private request(kind: TaskRequest['kind'], name: string, values: unknown[]): TaskRequest {
    warnOfDroppedPrototypes(values, packageOf[this.settings.runtime], name);
    return { kind, module: this.moduleUrl, name, ...this.encode(values) };
  }

  /** Threads get values as they are; processes get them packed for JSON IPC. */
  private encode(values: unknown[]): Carried {
    try {
      return pack(values, this.settings.runtime === 'child_process');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SerializationError(`task arguments could not be serialized: ${reason}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.close()));
  }
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number of milliseconds, got ${String(value)}`);
  }
  return Math.min(value, forever);
}

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
