import { AsyncResource } from 'node:async_hooks';
import type { TransferListItem } from 'node:worker_threads';
import type { Backend, BatchCall, BatchResult, RunningTask, TaskCall } from './backend.js';
import { CancelledError, ExecutorClosedError, QueueFullError, TimeoutError } from './errors.js';
import { isThenable } from './is-thenable.js';
import type { MapHost, MapTask, MapTaskListener } from './map.js';
import { movingMean } from './moving-mean.js';
import { releaseTaskStorage, retainTaskStorage } from './task-context.js';
import type { ExecutorStats, ShutdownOptions, SubmitOptions } from './types.js';
import {
  checkSignal,
  checkTaskName,
  describe,
  knownKeys,
  type ResolvedExecutorOptions,
  timeoutMs,
} from './validate.js';

enum State {
  Queued,
  /** Handed to a staging backend, not started yet. */
  Staged,
  /** Started (or placed) by a staging backend while every place still looked busy here: see startStaged. */
  Placed,
  Running,
  Done,
}

/**
 * Tasks are staged only while the recent ones took less than this: staging saves a message round
 * trip (tens of µs), and a staged task waits at most for the task ahead of it.
 */
export const stageBelowMs = 2;

const notAborted: unique symbol = Symbol('not aborted');

interface AbortBook {
  reason: unknown;
  controller: AbortController | null;
  /** The backend's (onAbort). */
  listener: ((reason: unknown) => void) | null;
  /** Removes the listener on the caller's signal. */
  unsubscribe: (() => void) | null;
}

// One executor for every job's promise, instead of a closure each: a tiny task's cost is mostly
// allocation. Only `resolve` is kept (a failure resolves with a rejected promise): a queued job
// holds one function less while it waits, and 100,000 waiting jobs are what the collector copies.
let captured: ((value: any) => void) | null = null;
function capture(resolve: (value: any) => void): void {
  captured = resolve;
}

/**
 * A task inside the core: the call, its place in the queue, its caller's promise and its abort
 * state. One object per task, since a tiny task's cost is mostly allocation.
 */
class Job implements RunningTask, TaskCall, MapTask {
  state = State.Queued;
  answered = false;
  /** When the job started running: map's chunk sizing and the staging decision use it. */
  startedAt = 0;
  /** Whether the backend said it really started (started()); placed() alone does not. */
  startReported = false;
  /** Whether its clocks run: from begin(), or for a backend that reports starts, from started(). */
  clockStarted = false;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The caller's promise's; map's jobs report to their `listener` instead. */
  resolve: ((value: any) => void) | null = null;
  /** Made on first need: most tasks are never aborted, and few look at their signal. */
  private aborts: AbortBook | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    readonly name: string,
    /** The call's arguments; a batch has its inputs in `batch`. */
    readonly args: unknown[],
    readonly transfer: readonly TransferListItem[] | undefined,
    readonly batch: BatchCall | null,
    readonly timeout: number,
    readonly listener: MapTaskListener | null = null,
  ) {}

  /** How many tasks this job stands for in the stats: a batch counts each input. */
  get weight(): number {
    return this.batch === null ? 1 : this.batch.inputs.length;
  }

  /** The caller's promise, for a submitted job. */
  promise(): Promise<any> {
    const promise = new Promise(capture);
    this.resolve = captured;
    captured = null;
    return promise;
  }

  private book(): AbortBook {
    this.aborts ??= { reason: notAborted, controller: null, listener: null, unsubscribe: null };
    return this.aborts;
  }

  // An AbortController per task would be a measurable share of a tiny task's cost.
  get signal(): AbortSignal {
    const book = this.book();
    if (book.controller === null) {
      book.controller = new AbortController();
      if (book.reason !== notAborted) book.controller.abort(book.reason);
    }
    return book.controller.signal;
  }

  abort(reason: unknown): void {
    const book = this.book();
    if (book.reason !== notAborted) return;
    book.reason = reason;
    book.controller?.abort(reason);
    book.listener?.(reason);
  }

  /** Calls `listener` when the task is told to stop: lighter than a listener on `signal`. */
  onAbort(listener: ((reason: unknown) => void) | null): void {
    if (listener === null && this.aborts === null) return;
    const book = this.book();
    book.listener = listener;
    if (listener && book.reason !== notAborted) listener(book.reason);
  }

  /** Stops listening to the caller's signal, once the caller has its answer. */
  unsubscribe(): void {
    this.aborts?.unsubscribe?.();
  }

  /** Listens to the caller's signal until the caller has its answer. */
  subscribe(signal: AbortSignal, onAbort: () => void): void {
    signal.addEventListener('abort', onAbort, { once: true });
    this.book().unsubscribe = () => signal.removeEventListener('abort', onAbort);
  }

  started(): void {
    this.scheduler.started(this);
  }

  placed(): void {
    this.scheduler.placed(this);
  }

  cancel(reason: unknown): void {
    this.scheduler.cancel(this, reason);
  }
}

/**
 * An entry of the queue, and its submitter's async context (guarantee 7): it starts from whichever
 * task frees a place. As small as it can be, since an eager loop may queue 100,000 of them and the
 * collector copies every object that waits: a submitted call without options waits as its name,
 * arguments and the caller's `resolve`, and its Job is made when it starts; a call with options
 * (which its signal can cancel) and a map's call wait as their Job.
 */
class Waiting extends AsyncResource {
  next: Waiting | null = null;

  constructor(
    readonly job: Job | null,
    readonly name: string,
    readonly args: unknown[],
    readonly resolve: ((value: any) => void) | null,
  ) {
    super('forkroad.task');
  }
}

type Outcome = 'completed' | 'failed' | 'cancelled';

const submitOptionKeys = ['signal', 'timeout', 'transfer'];

/**
 * The scheduling every backend shares, behind `ExecutorCore`: a FIFO queue bounded by `maxQueue`,
 * at most `concurrency` tasks running, per-task timeouts, aborts, stats and shutdown; map's
 * jobs come in through `enqueue` (MapHost).
 */
export class Scheduler implements MapHost {
  /** The queue, oldest first. A Job cancelled while it waits stays in it until pump skips it. */
  private head: Waiting | null = null;
  private tail: Waiting | null = null;
  /** Entries in the queue that still wait. */
  private queued = 0;
  private running = 0;
  /** Jobs the backend holds (staged or running) that have not finished. */
  private handed = 0;
  /** Staged jobs whose callers still wait: they count as queued, and cancelPending reaches them. */
  private readonly staged = new Set<Job>();
  /** Staged jobs the backend started while every place still looked busy here; see startStaged. */
  private readonly startable: Job[] = [];
  /** Recent task duration (exponential mean, ms), NaN until one has finished: staging needs it. */
  private recentMs = Number.NaN;
  /** Whether the backend takes staged tasks (see Backend.stagingDepth). */
  private readonly staging: boolean;
  /** Whether timeouts count from `task.started()` rather than from handing the task over. */
  private readonly clockOnStart: boolean;
  private readonly stagedPlaces: number;
  private completed = 0;
  private failed = 0;
  private cancelled = 0;
  private closed = false;
  private pumping = false;
  private shutdownPromise: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  readonly concurrency: number;
  readonly defaultTimeout: number;
  private readonly maxQueue: number;

  constructor(
    private readonly backend: Backend,
    options: ResolvedExecutorOptions,
    /** Whether map's `chunkSize: 'auto'` should batch: only where each call costs a message. */
    readonly batchesPayOff: boolean,
  ) {
    this.concurrency = options.concurrency;
    this.maxQueue = options.maxQueue;
    this.defaultTimeout = options.timeout;
    this.stagedPlaces = this.concurrency * (backend.stagingDepth ?? 0);
    this.staging = this.stagedPlaces > 0;
    this.clockOnStart = this.staging || backend.reportsStart === true;
  }

  submit(name: unknown, args: unknown, options?: SubmitOptions): Promise<unknown> {
    try {
      if (this.closed) throw new ExecutorClosedError();
      checkTaskName(name);
      if (!Array.isArray(args)) {
        throw new TypeError(
          `submit('${name}', args): args must be an array of arguments, got ${describe(args)}`,
        );
      }
      // Staged tasks wait too: they count against maxQueue, as they do in stats().queued.
      const full = this.queued + this.staged.size >= this.maxQueue && this.running >= this.concurrency;
      if (options === undefined) {
        if (full) throw new QueueFullError(this.maxQueue);
        if (this.queued !== 0 || this.handed >= this.places()) {
          const promise = new Promise(capture);
          this.append(new Waiting(null, name, args, captured));
          captured = null;
          return promise;
        }
        const job = new Job(this, name, args, undefined, null, this.defaultTimeout);
        const promise = job.promise();
        this.start(job);
        return promise;
      }
      knownKeys(options, submitOptionKeys, 'submit');
      const timeout =
        options.timeout === undefined ? this.defaultTimeout : timeoutMs(options.timeout, 'timeout');
      const signal = checkSignal(options.signal);
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (full) throw new QueueFullError(this.maxQueue);
      const job = new Job(this, name, args, options.transfer, null, timeout);
      const promise = job.promise();
      if (signal) this.listenForAbort(job, signal);
      this.admit(job);
      return promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** For map (MapHost): queues a call or a batch outside `maxQueue`, since map bounds itself. */
  enqueue(
    name: string,
    args: unknown[],
    batch: BatchCall | null,
    timeout: number,
    listener: MapTaskListener,
  ): MapTask {
    if (this.closed) throw new ExecutorClosedError();
    const weight = batch ? batch.inputs.length : 1;
    const job = new Job(
      this,
      name,
      args,
      undefined,
      batch,
      timeout === Infinity ? timeout : timeout * weight,
      listener,
    );
    this.admit(job);
    return job;
  }

  /** Answers the job's caller with `reason` and tells the task to stop. */
  cancel(job: Job, reason: unknown): void {
    if (job.answered) return;
    if (job.state === State.Queued) {
      // It stays linked in the queue, where pump skips it.
      this.queued--;
      job.state = State.Done;
      this.answer(job, 'cancelled', reason);
      this.checkIdle();
    } else {
      // A staged or running job keeps its place in the backend until the backend lets it go.
      this.answer(job, 'cancelled', reason);
      job.abort(reason);
    }
  }

  stats(): ExecutorStats {
    return {
      queued: this.queued + this.staged.size,
      running: this.running,
      completed: this.completed,
      failed: this.failed,
      cancelled: this.cancelled,
    };
  }

  shutdown(options: ShutdownOptions = {}): Promise<void> {
    knownKeys(options, ['cancelPending'], 'shutdown');
    this.closed = true;
    if (options.cancelPending) {
      const cancelled = () => new CancelledError('executor shut down before the task started');
      for (let entry = this.head; entry !== null; entry = entry.next) {
        if (entry.job !== null) {
          this.cancel(entry.job, cancelled());
        } else {
          this.queued--;
          this.cancelled++;
          entry.resolve!(Promise.reject(cancelled()));
        }
      }
      this.head = this.tail = null;
      for (const job of [...this.staged]) this.cancel(job, cancelled());
    }
    this.shutdownPromise ??= this.whenIdle().then(() => this.backend.close());
    return this.shutdownPromise;
  }

  checkTask(name: string): Promise<void> {
    const { backend } = this;
    if (!backend.checkTask) return Promise.resolve();
    return Promise.resolve()
      .then(() => backend.checkTask!(name))
      .then(() => {});
  }

  ready(): Promise<void> {
    return this.backend.ready ? this.backend.ready() : Promise.resolve();
  }

  private listenForAbort(job: Job, signal: AbortSignal): void {
    job.subscribe(signal, () => this.cancel(job, signal.reason));
  }

  /** Starts the job now if nothing waits and a place is free, without a trip through the queue. */
  private admit(job: Job): void {
    if (this.queued === 0 && this.handed < this.places()) {
      this.start(job);
    } else {
      this.append(new Waiting(job, job.name, job.args, null));
    }
  }

  private append(entry: Waiting): void {
    if (this.tail === null) this.head = entry;
    else this.tail.next = entry;
    this.tail = entry;
    this.queued++;
    this.pump();
  }

  private pump(): void {
    // A task that finishes synchronously re-enters pump(); the outer loop picks up the next one.
    if (this.queued === 0 || this.pumping) return;
    this.pumping = true;
    try {
      while (this.head !== null && this.handed < this.places()) {
        const entry = this.head;
        this.head = entry.next;
        if (this.head === null) this.tail = null;
        entry.next = null;
        // A job cancelled while it waited has left the count already.
        if (entry.job !== null && entry.job.state !== State.Queued) continue;
        this.queued--;
        entry.runInAsyncScope(this.startWaiting, this, entry);
      }
    } finally {
      this.pumping = false;
    }
  }

  private startWaiting(entry: Waiting): void {
    let job = entry.job;
    if (job === null) {
      job = new Job(this, entry.name, entry.args, undefined, null, this.defaultTimeout);
      job.resolve = entry.resolve;
    }
    this.start(job);
  }

  /** How many jobs the backend may hold now: one per place, more while staging pays off. */
  private places(): number {
    return this.recentMs < stageBelowMs ? this.concurrency + this.stagedPlaces : this.concurrency;
  }

  private start(job: Job): void {
    if (this.handed++ === 0) retainTaskStorage();
    if (this.staging) {
      job.state = State.Staged;
      this.staged.add(job);
    } else {
      this.begin(job);
    }
    let result: unknown;
    try {
      result = job.batch ? this.runBatch(job.batch, job) : this.backend.run(job, job);
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
      try {
        results.push(await this.backend.run({ name: batch.name, args: [input] }, job));
      } catch (error) {
        return { results, failure: { error } };
      }
    }
    return { results, durationMs: performance.now() - started };
  }

  /** The job runs from now: it counts as running and its timeout starts. */
  private begin(job: Job): void {
    job.state = State.Running;
    this.running++;
    if (!this.clockOnStart || job.startReported) this.startsNow(job);
  }

  /** The job really starts: its clocks (map's sizing, staging's, its timeout) count from now. */
  private startsNow(job: Job): void {
    job.clockStarted = true;
    if (this.staging || job.batch) job.startedAt = performance.now();
    if (job.timeout !== Infinity) this.startClock(job);
  }

  private startClock(job: Job): void {
    job.startedAt = performance.now();
    job.timer = setTimeout(() => {
      if (job.answered) return;
      const error = new TimeoutError(job.timeout);
      this.answer(job, 'failed', error);
      job.abort(error);
    }, job.timeout);
  }

  /** The backend says the job really starts now (see RunningTask.started). */
  started(job: Job): void {
    job.startReported = true;
    if (job.state === State.Staged) this.startStaged(job);
    // A backend that reports starts has waited (a worker starting, the module loading) until now.
    else if (job.state === State.Running && !job.clockStarted && !job.answered) this.startsNow(job);
  }

  /** The backend placed a staged job where it runs next, with nothing ahead of it (see RunningTask.placed). */
  placed(job: Job): void {
    if (job.state === State.Staged) this.startStaged(job);
  }

  /**
   * The backend started a staged job. Its place's previous task has ended there, but that task's
   * result may still be on its way through promise callbacks here: then the job begins as soon as
   * that result is in, so `running` never exceeds `concurrency`.
   */
  private startStaged(job: Job): void {
    this.staged.delete(job);
    if (this.running < this.concurrency) {
      this.begin(job);
    } else {
      job.state = State.Placed;
      this.startable.push(job);
    }
  }

  private finish(job: Job, ok: boolean, value: unknown): void {
    if (job.state === State.Running) {
      this.running--;
      if (this.staging) this.recentMs = movingMean(this.recentMs, performance.now() - job.startedAt, 0.2);
    } else if (this.staging) {
      // Let go before it started (skipped after a cancel, or failed on the way).
      this.staged.delete(job);
      const waiting = this.startable.indexOf(job);
      if (waiting !== -1) this.startable.splice(waiting, 1);
    }
    job.state = State.Done;
    if (--this.handed === 0) releaseTaskStorage();
    if (job.timer !== undefined) {
      clearTimeout(job.timer);
      // A result that comes after the deadline loses, even when a blocked event loop let it in
      // before the timer could fire.
      if (!job.answered && performance.now() - job.startedAt >= job.timeout)
        this.answer(job, 'failed', new TimeoutError(job.timeout));
    }
    if (!job.answered) this.answer(job, ok ? 'completed' : 'failed', value);
    if (this.startable.length !== 0 && this.running < this.concurrency) this.begin(this.startable.shift()!);
    this.pump();
    this.checkIdle();
  }

  private answer(job: Job, outcome: Outcome, value: unknown): void {
    if (job.state === State.Staged) this.staged.delete(job);
    job.answered = true;
    job.unsubscribe();
    const failure = job.batch && outcome === 'completed' ? (value as BatchResult).failure : undefined;
    if (failure !== undefined) {
      // A batch that stopped at a failing input: its results, that input, and the rest never run.
      const done = (value as BatchResult).results.length;
      this.completed += done;
      this.failed++;
      this.cancelled += job.weight - done - 1;
    } else if (outcome === 'completed') this.completed += job.weight;
    else if (outcome === 'failed') this.failed += job.weight;
    else this.cancelled += job.weight;
    if (job.listener) job.listener.answered(outcome === 'completed', value);
    else if (outcome === 'completed') job.resolve!(value);
    else job.resolve!(Promise.reject(value));
  }

  private whenIdle(): Promise<void> {
    if (this.handed === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private checkIdle(): void {
    if (this.handed !== 0 || this.queued !== 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
