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
  taskNameError,
  warnOfDroppedPrototypes,
} from '@forkroad/executor';
import { type Carried, pack, unpack } from './protocol.js';
import { failureOf, type SlotSettings, type TaskRequest, unwrap, WorkerSlot } from './slot.js';
import type { Runtime } from './tinypool-seam.js';

export type { Runtime } from './tinypool-seam.js';

/**
 * What the pool layer can do, option by option. Each backend package takes the subset that fits its
 * runtime, with its own option type and documentation, and names the keys it accepts.
 */
export interface WorkerPoolOptions extends ExecutorOptions {
  /** Threads: V8 heap limits per worker (worker_threads `resourceLimits`). */
  resourceLimits?: ResourceLimits;
  /** Start a fresh worker for every task. */
  isolateWorkers?: boolean;
  /** ms a worker may sit idle before it exits. Default: never. */
  idleTimeout?: number;
  /** Workers started with the executor, and kept (restarted when they end, idleTimeout aside). Default 0. */
  minWorkers?: number;
  /** Processes: the workers' environment. */
  env?: Record<string, string | undefined>;
  /** Processes: Node options for the workers. */
  execArgv?: string[];
}

const allOptionKeys: readonly (keyof WorkerPoolOptions)[] = [
  'resourceLimits',
  'isolateWorkers',
  'idleTimeout',
  'minWorkers',
  'env',
  'execArgv',
];

/** How a backend package presents the pool layer. */
export interface WorkerPoolFlavour {
  runtime: Runtime;
  /** The package the user calls, e.g. '@forkroad/threads': errors and warnings name it. */
  name: string;
  /** The keys of WorkerPoolOptions (beyond the shared ones) this package accepts. */
  optionKeys: readonly (keyof WorkerPoolOptions)[];
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

/**
 * The executor both parallel backends share: the core's queue and guarantees in front, one
 * one-worker tinypool per slot behind.
 */
export function createWorkerPoolExecutor<M = Record<string, TaskFunction>>(
  flavour: WorkerPoolFlavour | Runtime,
  module: ModuleReference,
  options: WorkerPoolOptions | undefined,
): Executor<M> {
  if (typeof flavour === 'string')
    flavour = { runtime: flavour, name: '@forkroad/worker-pool', optionKeys: allOptionKeys };
  const resolved = resolveExecutorOptions(options, flavour.optionKeys, `${flavour.name} createExecutor`);
  const moduleUrl = taskModuleUrl(module);
  return new ExecutorCore<M>(
    new WorkerPoolBackend(flavour, moduleUrl, resolved.concurrency, options ?? {}),
    resolved,
    true,
  );
}

class WorkerPoolBackend implements Backend {
  private readonly slots: WorkerSlot[] = [];
  private warmed = false;
  private readonly settings: SlotSettings;
  /** Tasks staged per worker; none with isolateWorkers, where a worker runs one task. */
  readonly stagingDepth: number;
  /** A task starts once its worker has loaded the task module: the slot says when. */
  readonly reportsStart = true;

  /** The package the user called, which warnings name. */
  private readonly packageName: string;

  constructor(
    { runtime, name }: WorkerPoolFlavour,
    private readonly moduleUrl: string,
    concurrency: number,
    options: WorkerPoolOptions,
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
    this.packageName = name;
    const minWorkers =
      options.minWorkers === undefined ? 0 : Math.min(concurrency, nonNegativeInteger(options.minWorkers));
    this.stagingDepth = options.isolateWorkers ? 0 : stagingDepth;
    this.settings = {
      runtime,
      moduleUrl,
      shape: null,
      isolateWorkers: options.isolateWorkers ?? false,
      idleTimeoutMs: idleTimeout ?? null,
      terminateGraceMs,
      exiting: new Set(),
      start: {
        runtime,
        resourceLimits: options.resourceLimits,
        execArgv: options.execArgv,
        // Children inherit the environment unless told otherwise (tinypool would pass none).
        env: runtime === 'child_process' ? withoutUndefined(options.env ?? process.env) : undefined,
      },
    };
    for (let i = 0; i < concurrency; i++) this.slots.push(new WorkerSlot(this.settings, i < minWorkers));
  }

  /** Starts every worker not running yet; resolves once all have loaded the task module. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.ready()));
  }

  async checkTask(name: string): Promise<void> {
    if (this.settings.shape === null) await this.slots[0]!.ready();
    const error = taskNameError(this.settings.shape!, name);
    if (error) throw error;
  }

  async run(call: TaskCall, task: RunningTask): Promise<unknown> {
    this.warmOnFirstUse();
    const request = this.request('call', call.name, call.args);
    // Only threads can transfer; for a process the buffer would be detached for nothing.
    const transfer = this.settings.runtime === 'worker_threads' ? call.transfer : undefined;
    return unwrap(await this.leastLoaded().run(request, task, transfer));
  }

  async runBatch(batch: BatchCall, task: RunningTask): Promise<BatchResult> {
    this.warmOnFirstUse();
    const response = await this.leastLoaded().run(this.request('batch', batch.name, batch.inputs), task);
    if (!response.ok && response.completed) {
      return { results: unpack(response.completed) as unknown[], failure: { error: failureOf(response) } };
    }
    const results = unwrap(response) as unknown[];
    return { results, durationMs: response.ok ? response.durationMs : undefined };
  }

  /**
   * The default between "every worker at creation" (minWorkers) and "one worker per task in
   * flight": an executor that is never used starts nothing, and the first task starts every
   * worker, so that a first batch right after it finds them ready (a worker takes 30–70 ms to
   * start). Not with isolateWorkers, where each task gets a fresh worker anyway.
   */
  private warmOnFirstUse(): void {
    if (this.warmed) return;
    this.warmed = true;
    if (!this.settings.isolateWorkers) for (const slot of this.slots) slot.warm();
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
    warnOfDroppedPrototypes(values, this.packageName, name);
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

function nonNegativeInteger(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`minWorkers must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
