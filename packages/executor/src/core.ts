import type { TransferListItem } from 'node:worker_threads';
import { CancelledError, ExecutorClosedError, QueueFullError, TimeoutError } from './errors.js';
import { createMapIterator } from './map.js';
import type { TaskContext } from './task-context.js';
import type { Executor, ExecutorStats, MapOptions, ShutdownOptions, SubmitOptions } from './types.js';
import { describe, knownKeys, type ResolvedExecutorOptions, timeoutMs } from './validate.js';

/** One call of a task function. */
export interface TaskCall {
  name: string;
  args: unknown[];
  transfer?: readonly TransferListItem[] | undefined;
}

/** Several calls of one task function, one input each, run one after another where they land. */
export interface BatchCall {
  name: string;
  inputs: unknown[];
}

export interface BatchResult {
  results: unknown[];
  /** Time spent running the batch where it ran, in ms; lets `chunkSize: 'auto'` see messaging cost. */
  durationMs?: number;
}

/** What a backend is handed for each task it runs. */
export interface RunningTask extends TaskContext {
  /**
   * Calls `listener` once when the caller stops waiting (timeout, abort, cancellation), or at
   * once if that has happened; `null` removes it. Cheaper than a listener on `signal`.
   */
  onAbort(listener: ((reason: unknown) => void) | null): void;
}

/**
 * How a backend starts tasks. That is all a backend has to say: queueing, concurrency, timeouts,
 * aborts, map, stats and shutdown are the core's.
 *
 * `task.signal` (or `task.onAbort`) fires when the caller stops waiting (timeout, abort, cancellation). The promise
 * returned must settle only when the task has really stopped, because until then it holds its
 * slot: a backend that can stop a stuck task (by replacing its worker) settles it once it has.
 */
export interface Backend {
  /** Runs one call; may return the result synchronously. */
  run(call: TaskCall, task: RunningTask): unknown;
  /** Runs a batch; when absent the core runs the batch's calls one after another through `run`. */
  runBatch?(call: BatchCall, task: RunningTask): Promise<BatchResult>;
  /** Called once, when shutdown has let every task settle; resolves once every worker has exited. */
  close(): Promise<void>;
}

enum State {
  Queued,
  Running,
  Done,
}

/** Who hears a map job's outcome (map's jobs carry no promise). */
export interface JobListener {
  answered(ok: boolean, value: unknown): void;
}

const notAborted: unique symbol = Symbol('not aborted');

/** A task inside the core: its place in the queue, its caller's promise and its abort state. */
export class Job implements RunningTask {
  state = State.Queued;
  answered = false;
  prev: Job | null = null;
  next: Job | null = null;
  /** When a batch started, for map's chunk sizing. */
  startedAt = 0;
  timer: ReturnType<typeof setTimeout> | undefined;
  resolve!: (value: any) => void;
  reject!: (reason: unknown) => void;
  /** The caller's promise; map's jobs have none and report to their `listener` instead. */
  readonly promise: Promise<any> | null = null;
  private controller: AbortController | null = null;
  private abortReason: unknown = notAborted;
  removeAbortListener: (() => void) | undefined;

  constructor(
    readonly call: TaskCall | null,
    readonly batch: BatchCall | null,
    readonly timeout: number,
    /** How many tasks this job stands for in the stats: a batch counts each input. */
    readonly weight: number,
    readonly listener: JobListener | null = null,
  ) {
    if (listener === null) {
      this.promise = new Promise((resolve, reject) => {
        this.resolve = resolve;
        this.reject = reject;
      });
    }
  }

  // Created on first use: most tasks never look at their signal, and an AbortController per
  // task is a measurable share of a tiny task's cost.
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.abortReason !== notAborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.abortReason !== notAborted) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.abortListener?.(reason);
  }

  private abortListener: ((reason: unknown) => void) | null = null;

  /** Calls `listener` when the task is told to stop: lighter than a listener on `signal`. */
  onAbort(listener: ((reason: unknown) => void) | null): void {
    this.abortListener = listener;
    if (listener && this.abortReason !== notAborted) listener(this.abortReason);
  }
}

type Outcome = 'completed' | 'failed' | 'cancelled';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

const submitOptionKeys = ['signal', 'timeout', 'transfer'];

/**
 * The scheduling core every backend shares: a FIFO queue bounded by `maxQueue`, at most
 * `concurrency` tasks running, per-task timeouts, aborts, the lazy map, stats and shutdown.
 */
export class ExecutorCore<M> implements Executor<M> {
  private head: Job | null = null;
  private tail: Job | null = null;
  private queued = 0;
  private running = 0;
  private readonly counts = { completed: 0, failed: 0, cancelled: 0 };
  private closed = false;
  private pumping = false;
  private shutdownPromise: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  readonly concurrency: number;
  private readonly maxQueue: number;
  private readonly defaultTimeout: number;

  constructor(
    private readonly backend: Backend,
    options: ResolvedExecutorOptions,
    /** Whether map's `chunkSize: 'auto'` should batch: only where each call costs a message. */
    readonly batchesPayOff: boolean,
  ) {
    this.concurrency = options.concurrency;
    this.maxQueue = options.maxQueue;
    this.defaultTimeout = options.timeout;
  }

  submit(name: any, args: any, options?: SubmitOptions): Promise<any> {
    try {
      if (this.closed) throw new ExecutorClosedError();
      checkTaskName(name);
      if (!Array.isArray(args)) {
        throw new TypeError(
          `submit('${name}', args): args must be an array of arguments, got ${describe(args)}`,
        );
      }
      let timeout = this.defaultTimeout;
      let signal: AbortSignal | undefined;
      if (options !== undefined) {
        knownKeys(options, submitOptionKeys, 'submit');
        if (options.timeout !== undefined) timeout = timeoutMs(options.timeout, 'timeout');
        signal = checkSignal(options.signal);
        if (signal?.aborted) return Promise.reject(signal.reason);
      }
      if (this.queued >= this.maxQueue && this.running >= this.concurrency)
        throw new QueueFullError(this.maxQueue);
      const job = new Job({ name, args, transfer: options?.transfer }, null, timeout, 1);
      if (signal) this.listenForAbort(job, signal);
      this.enqueue(job);
      return job.promise!;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  map(name: any, inputs: any, options?: MapOptions): AsyncIterableIterator<any> {
    checkTaskName(name);
    return createMapIterator(this, name, inputs, options);
  }

  /** For map: queues a call or a batch outside `maxQueue` (map bounds itself). */
  enqueueForMap(call: TaskCall | null, batch: BatchCall | null, timeout: number, listener: JobListener): Job {
    if (this.closed) throw new ExecutorClosedError();
    const weight = batch ? batch.inputs.length : 1;
    const job = new Job(call, batch, timeout === Infinity ? timeout : timeout * weight, weight, listener);
    this.enqueue(job);
    return job;
  }

  /** Answers the job's caller with `reason` and tells the task to stop. */
  cancel(job: Job, reason: unknown): void {
    if (job.answered) return;
    if (job.state === State.Queued) {
      this.unlink(job);
      job.state = State.Done;
      this.answer(job, 'cancelled', reason);
      this.checkIdle();
    } else {
      this.answer(job, 'cancelled', reason);
      job.abort(reason);
    }
  }

  stats(): ExecutorStats {
    return { queued: this.queued, running: this.running, ...this.counts };
  }

  get defaultTaskTimeout(): number {
    return this.defaultTimeout;
  }

  shutdown(options: ShutdownOptions = {}): Promise<void> {
    knownKeys(options, ['cancelPending'], 'shutdown');
    this.closed = true;
    if (options.cancelPending) {
      while (this.head)
        this.cancel(this.head, new CancelledError('executor shut down before the task started'));
    }
    this.shutdownPromise ??= this.whenIdle().then(() => this.backend.close());
    return this.shutdownPromise;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  private listenForAbort(job: Job, signal: AbortSignal): void {
    const onAbort = () => this.cancel(job, signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    job.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
  }

  private enqueue(job: Job): void {
    if (this.tail) {
      this.tail.next = job;
      job.prev = this.tail;
    } else {
      this.head = job;
    }
    this.tail = job;
    this.queued++;
    this.pump();
  }

  private unlink(job: Job): void {
    if (job.prev) job.prev.next = job.next;
    else this.head = job.next;
    if (job.next) job.next.prev = job.prev;
    else this.tail = job.prev;
    job.prev = job.next = null;
    this.queued--;
  }

  private pump(): void {
    // A task that finishes synchronously re-enters pump(); the outer loop picks up the next one.
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.running < this.concurrency && this.head) {
        const job = this.head;
        this.unlink(job);
        this.start(job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private start(job: Job): void {
    job.state = State.Running;
    if (job.batch) job.startedAt = performance.now();
    this.running++;
    if (job.timeout !== Infinity) {
      job.timer = setTimeout(() => {
        if (job.answered) return;
        const error = new TimeoutError(job.timeout);
        this.answer(job, 'failed', error);
        job.abort(error);
      }, job.timeout);
    }
    let result: unknown;
    try {
      result = job.batch ? this.runBatch(job.batch, job) : this.backend.run(job.call!, job);
    } catch (error) {
      this.finish(job, false, error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.finish(job, true, value),
        (error) => this.finish(job, false, error),
      );
    } else {
      this.finish(job, true, result);
    }
  }

  private async runBatch(batch: BatchCall, job: Job): Promise<BatchResult> {
    if (this.backend.runBatch) return this.backend.runBatch(batch, job);
    const started = performance.now();
    const results: unknown[] = [];
    for (const input of batch.inputs) {
      if (job.answered) break;
      results.push(await this.backend.run({ name: batch.name, args: [input] }, job));
    }
    return { results, durationMs: performance.now() - started };
  }

  private finish(job: Job, ok: boolean, value: unknown): void {
    job.state = State.Done;
    this.running--;
    if (job.timer !== undefined) clearTimeout(job.timer);
    if (!job.answered) this.answer(job, ok ? 'completed' : 'failed', value);
    this.pump();
    this.checkIdle();
  }

  private answer(job: Job, outcome: Outcome, value: unknown): void {
    job.answered = true;
    job.removeAbortListener?.();
    this.counts[outcome] += job.weight;
    if (job.listener) job.listener.answered(outcome === 'completed', value);
    else if (outcome === 'completed') job.resolve(value);
    else job.reject(value);
  }

  private whenIdle(): Promise<void> {
    if (this.running === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private checkIdle(): void {
    if (this.running !== 0 || this.queued !== 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function checkTaskName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(
      `task name must be a non-empty string (an export of the task module), got ${describe(name)}`,
    );
  }
}

export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal))
    throw new TypeError(`signal must be an AbortSignal, got ${describe(signal)}`);
  return signal;
}
