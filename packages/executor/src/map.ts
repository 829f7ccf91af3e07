import { AsyncResource } from 'node:async_hooks';
import type { BatchCall, BatchResult } from './backend.js';
import { CancelledError } from './errors.js';
import { movingMean } from './moving-mean.js';
import { releaseTaskStorage, retainTaskStorage } from './task-context.js';
import type { MapOptions } from './types.js';
import { checkSignal, describe, knownKeys, positiveInteger, timeoutMs } from './validate.js';

/** Hears the outcome of one of map's calls or batches. */
export interface MapTaskListener {
  answered(ok: boolean, value: unknown): void;
}

/** One of map's calls or batches, once queued. */
export interface MapTask {
  /** When it started running (performance.now()); 0 until then. */
  readonly startedAt: number;
  /** Answers its listener with `reason` (if not answered yet) and tells the task to stop. */
  cancel(reason: unknown): void;
}

/** All that map needs of the executor it belongs to. */
export interface MapHost {
  readonly concurrency: number;
  /** The executor's per-task timeout in ms (Infinity: none). */
  readonly defaultTimeout: number;
  /** Whether `chunkSize: 'auto'` should batch: only where each call costs a message. */
  readonly batchesPayOff: boolean;
  /**
   * Queues one call (`args`) or a batch outside `maxQueue` (map bounds itself); its outcome goes to
   * `listener`, never to a promise. Throws ExecutorClosedError once the executor is shut down.
   */
  enqueue(
    name: string,
    args: unknown[],
    batch: BatchCall | null,
    timeout: number,
    listener: MapTaskListener,
  ): MapTask;
  /** Rejects with a TypeError when the task module has no function `name` (see Backend.checkTask). */
  checkTask(name: string): Promise<void>;
}

/** The largest batch `chunkSize: 'auto'` will send. */
const maxAutoChunk = 1024;
/** 'auto' aims for batches that run at least this long, so a message's cost stays small beside them. */
const minBatchMs = 1;
/** …and at least this many times the measured cost of a round trip. */
const overheadFactor = 20;

/** A batch job's args: its inputs travel in the batch. */
// Stryker disable next-line ArrayDeclaration: a batch job's args are never read: its inputs travel in the batch
const noArgs: unknown[] = [];

const mapOptionKeys = ['ordered', 'concurrency', 'chunkSize', 'timeout', 'signal'];

interface Waiter {
  resolve: (result: IteratorResult<unknown>) => void;
  reject: (reason: unknown) => void;
}

/**
 * Sizes batches for `chunkSize: 'auto'` from measured task time: an exponentially weighted mean of
 * the time each input takes where it runs, and of the messaging cost of a round trip.
 */
class ChunkSizer {
  private perInputMs = Number.NaN;
  private overheadMs = Number.NaN;

  constructor(private readonly fixed: number | null) {}

  get size(): number {
    if (this.fixed !== null) return this.fixed;
    if (Number.isNaN(this.perInputMs)) return 1;
    const targetMs = Math.max(
      minBatchMs,
      overheadFactor * (Number.isNaN(this.overheadMs) ? 0 : this.overheadMs),
    );
    return Math.min(maxAutoChunk, Math.max(1, Math.round(targetMs / Math.max(this.perInputMs, 1e-6))));
  }

  record(inputs: number, durationMs: number, roundTripMs: number): void {
    // Stryker disable next-line ConditionalExpression: a fixed size never reads what is recorded
    if (this.fixed !== null) return;
    this.perInputMs = movingMean(this.perInputMs, durationMs / inputs, 0.3);
    this.overheadMs = movingMean(this.overheadMs, Math.max(0, roundTripMs - durationMs), 0.3);
  }
}

/** A task's failure, waiting for its turn to be thrown to the consumer. */
class Failure {
  constructor(readonly error: unknown) {}
}

const noError: unique symbol = Symbol('no error');
const noResults: unknown[] = [];

/** The map a slot belongs to, which hears its outcome. */
interface SlotOwner {
  answered(slot: Slot, ok: boolean, value: unknown): void;
}

/**
 * One call or batch of a map: hears its job's outcome, holds its inputs' place in the output,
 * and links into the map's in-flight list. Defined once, not per map: a class made per call would
 * leave V8 a new, cold shape and initializer for every map.
 */
class Slot implements MapTaskListener {
  job: MapTask | null = null;
  settled = false;
  /** The result of a single call, or the results of a batch (of its inputs ahead of a failure). */
  value: unknown = undefined;
  /** What its task failed with (a batch: at the input after its results); noError if it did not. */
  error: unknown = noError;
  /** Its place in the input: slots are numbered as they are launched. */
  position = 0;
  index = 0;
  prev: Slot | null = null;
  next: Slot | null = null;
  constructor(
    readonly owner: SlotOwner,
    readonly args: unknown[],
    readonly size: number,
  ) {}
  answered(ok: boolean, value: unknown): void {
    this.owner.answered(this, ok, value);
  }
}

/** The slots whose jobs have not settled, as an intrusive list: no allocation per input. */
class InFlight {
  head: Slot | null = null;
  size = 0;

  add(slot: Slot): void {
    slot.next = this.head;
    if (this.head) this.head.prev = slot;
    this.head = slot;
    this.size++;
  }

  delete(slot: Slot): void {
    if (slot.prev) slot.prev.next = slot.next;
    else if (this.head === slot) this.head = slot.next;
    else return;
    // Stryker disable next-line ConditionalExpression: a stale prev is only followed from a settled slot, whose cancel does nothing
    if (slot.next) slot.next.prev = slot.prev;
    slot.prev = slot.next = null;
    this.size--;
  }
}

/**
 * The lazy map every backend shares. Inputs are pulled only while fewer than `concurrency` calls
 * of this map are in flight and fewer than two windows of inputs wait to be consumed, so an
 * endless input is fine and memory stays bounded. `return()` (leaving a for-await early) cancels
 * what is in flight.
 *
 * When a task fails, map pulls no more input and cancels the tasks whose results would come after
 * the failure; the failure is thrown in its turn. Ordered: every result of the inputs ahead of the
 * failing one is yielded first (those still running are waited for), as Python's `Executor.map`
 * does. Unordered: the results that arrived before the failure are yielded first, and the tasks
 * still running are cancelled. An abort, a failing input iterator or a closed executor ends the
 * iteration at once.
 */
export function createMapIterator(
  host: MapHost,
  name: string,
  inputs: unknown,
  options: MapOptions = {},
): AsyncIterableIterator<unknown> {
  knownKeys(options, mapOptionKeys, 'map');
  const ordered = options.ordered ?? true;
  if (typeof ordered !== 'boolean')
    throw new TypeError(`map: ordered must be a boolean, got ${describe(ordered)}`);
  const concurrency =
    options.concurrency === undefined
      ? host.concurrency
      : positiveInteger(options.concurrency, 'concurrency');
  const timeout = options.timeout === undefined ? host.defaultTimeout : timeoutMs(options.timeout, 'timeout');
  const signal = checkSignal(options.signal);
  const chunkSize = options.chunkSize ?? 1;
  if (chunkSize !== 'auto') positiveInteger(chunkSize, "chunkSize (a positive integer or 'auto')");
  const isAsync = isAsyncIterable(inputs);
  if (!isAsync && !isIterable(inputs)) {
    throw new TypeError(
      `map('${name}', inputs): inputs must be an iterable or async iterable, got ${describe(inputs)}`,
    );
  }
  return new MapRun(host, name, inputs, isAsync, ordered, concurrency, timeout, signal, chunkSize);
}

/**
 * One map in progress. A class, not closures made per `map()` call: V8 optimizes its methods once
 * for every map, where each map's fresh closures would be new call targets that throw away the
 * optimized code of their callers ("wrong call target") for the first several maps.
 */
class MapRun implements AsyncIterableIterator<unknown>, SlotOwner {
  private readonly sizer: ChunkSizer;
  private readonly batched: boolean;
  private source: Iterator<unknown> | AsyncIterator<unknown> | null = null;
  private sourceDone = false;
  private pulling = false;
  private filling = false;
  private finished = false;
  private failure: { error: unknown } | null = null;
  /** Inputs pulled whose results have not been handed to the consumer yet. */
  private outstanding = 0;
  /** Slots launched so far: the next slot's position. */
  private launched = 0;
  /** Set once a task has failed: the position of the earliest failed slot. */
  private failedAt = Number.POSITIVE_INFINITY;
  /**
   * Whether the task name is known good: any task launched says so; a map given no input asks
   * the executor (`checkTask`), so that `map('nope', [])` fails as `submit('nope', …)` does.
   */
  // Stryker disable next-line StringLiteral: 'no' is only ever compared with 'checking' and 'yes'
  private nameChecked: 'no' | 'checking' | 'yes' = 'no';
  private readonly inFlight = new InFlight();
  private readonly inOrder: Slot[] = [];
  private inOrderHead = 0;
  private readonly ready: unknown[] = [];
  private readyHead = 0;
  private readonly waiters: Waiter[] = [];
  private readonly context = new AsyncResource('forkroad.map');
  private readonly onAbort = () => this.fail(this.signal!.reason);
  /** Whether it holds the task storage: from the first `next()` until it stops or ends. */
  private holdingStorage = false;

  constructor(
    private readonly host: MapHost,
    private readonly name: string,
    private readonly inputs: unknown,
    private readonly isAsync: boolean,
    private readonly ordered: boolean,
    private readonly concurrency: number,
    private readonly timeout: number,
    private readonly signal: AbortSignal | undefined,
    chunkSize: number | 'auto',
  ) {
    this.sizer = new ChunkSizer(chunkSize === 'auto' ? (host.batchesPayOff ? null : 1) : chunkSize);
    this.batched = chunkSize !== 1 && (chunkSize !== 'auto' || host.batchesPayOff);
  }

  next(): Promise<IteratorResult<unknown>> {
    return this.context.runInAsyncScope(this.nextInScope, this);
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    // Stryker disable next-line ConditionalExpression: after the end nothing is in flight, pulled or waiting
    if (!this.finished) {
      this.finished = true;
      this.stop(new CancelledError('map iteration ended early'));
      for (const waiter of this.waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
    }
    return Promise.resolve({ done: true, value });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  answered(slot: Slot, ok: boolean, value: unknown): void {
    if (ok) this.settle(slot, value);
    else this.abandon(slot, value);
  }

  private start(): void {
    retainTaskStorage();
    this.holdingStorage = true;
    const signal = this.signal;
    if (signal?.aborted) {
      this.fail(signal.reason);
      return;
    }
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: an AbortSignal fires 'abort' once
    signal?.addEventListener('abort', this.onAbort, { once: true });
    try {
      this.source = this.isAsync
        ? (this.inputs as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (this.inputs as Iterable<unknown>)[Symbol.iterator]();
    } catch (error) {
      this.fail(error);
    }
  }

  // map is not staged ahead: batching (chunkSize) is how map saves messages, and its window stays
  // what the docs promise.
  private windowFull(): boolean {
    const chunk = this.sizer.size;
    return this.inFlight.size >= this.concurrency || this.outstanding + chunk > 2 * this.concurrency * chunk;
  }

  /**
   * Launches what the window allows, then delivers. It runs in the async context of the `map` call
   * (guarantee 7): `next()` enters it, and the callbacks of this map's tasks (settling, timing
   * out) and of its async input carry it, since they are registered where their task was started.
   * Aborts, failures and shutdown launch nothing more.
   */
  private fill(): void {
    // Stryker disable next-line ConditionalExpression: settle and taskFailed, the only callers while filling, check it first
    if (this.filling) return;
    this.filling = true;
    try {
      this.fillWindow();
    } finally {
      this.filling = false;
    }
    this.deliver();
  }

  private fillWindow(): void {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: whatever sets finished or failure has set sourceDone
    while (!this.finished && !this.failure && !this.sourceDone && !this.pulling && !this.windowFull()) {
      const size = this.sizer.size;
      if (this.isAsync) {
        this.pullAsyncAndLaunch(size);
        return;
      }
      if (!this.batched) {
        // The common case, kept free of per-input arrays.
        let step: IteratorResult<unknown>;
        try {
          step = (this.source as Iterator<unknown>).next();
        } catch (error) {
          this.fail(error);
          return;
        }
        if (step.done) this.sourceDone = true;
        else this.launchOne(step.value);
        continue;
      }
      let items: unknown[];
      try {
        items = this.pullSync(this.source as Iterator<unknown>, size);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (items.length > 0) this.launchBatch(items);
    }
  }

  private pullAsyncAndLaunch(size: number): void {
    this.pulling = true;
    this.pullAsync(this.source as AsyncIterator<unknown>, size).then(
      (items) => {
        this.pulling = false;
        if (this.finished || this.failure) return;
        // Inputs pulled after a task failed are dropped: nothing after a failure runs.
        if (this.failedAt === Number.POSITIVE_INFINITY) {
          if (items.length === 1 && !this.batched) this.launchOne(items[0]);
          else if (items.length > 0) this.launchBatch(items);
        }
        this.fill();
      },
      (error) => {
        // Stryker disable next-line BooleanLiteral: the map ends in fail(): nothing reads pulling afterwards
        this.pulling = false;
        this.fail(error);
      },
    );
  }

  private pullSync(iterator: Iterator<unknown>, size: number): unknown[] {
    const items: unknown[] = [];
    while (items.length < size) {
      const step = iterator.next();
      if (step.done) {
        this.sourceDone = true;
        break;
      }
      items.push(step.value);
    }
    return items;
  }

  private async pullAsync(iterator: AsyncIterator<unknown>, size: number): Promise<unknown[]> {
    const items: unknown[] = [];
    while (items.length < size) {
      const step = await iterator.next();
      if (this.finished || this.failure || this.failedAt !== Number.POSITIVE_INFINITY) break;
      if (step.done) {
        this.sourceDone = true;
        break;
      }
      items.push(step.value);
    }
    return items;
  }

  private launchOne(input: unknown): void {
    this.launch(new Slot(this, [input], 1), false);
  }

  private launchBatch(items: unknown[]): void {
    this.launch(new Slot(this, items, items.length), true);
  }

  private checkName(): void {
    if (this.nameChecked === 'checking') return;
    this.nameChecked = 'checking';
    this.host.checkTask(this.name).then(
      () => {
        this.nameChecked = 'yes';
        this.deliver();
      },
      (error: unknown) => {
        // Stryker disable next-line StringLiteral: the map ends in fail(): the name is not checked again
        this.nameChecked = 'yes';
        this.fail(error);
      },
    );
  }

  private launch(slot: Slot, batch: boolean): void {
    this.nameChecked = 'yes';
    slot.position = this.launched++;
    this.outstanding += slot.size;
    // Before enqueueing: a task that fails synchronously must find its slot in place.
    if (this.ordered) this.inOrder.push(slot);
    const name = this.name;
    try {
      slot.job = batch
        ? this.host.enqueue(name, noArgs, { name, inputs: slot.args }, this.timeout, slot)
        : this.host.enqueue(name, slot.args, null, this.timeout, slot);
    } catch (error) {
      this.fail(error);
      return;
    }
    // A task that finished synchronously has settled already and must not count as in flight.
    if (!slot.settled) this.inFlight.add(slot);
  }

  private abandon(slot: Slot, error: unknown): void {
    slot.settled = true;
    this.inFlight.delete(slot);
    this.taskFailed(slot, error);
  }

  private settle(slot: Slot, value: unknown): void {
    slot.settled = true;
    this.inFlight.delete(slot);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: an ended or failed map has cancelled every job in flight
    if (this.finished || this.failure) return;
    if (this.batched) {
      const batch = value as BatchResult;
      const { sizer, ready, ordered, failedAt } = this;
      // Stryker disable next-line OptionalChaining: a batch runs in a later turn, never within enqueue: its job is set
      const startedAt = slot.job?.startedAt ?? 0;
      // Stryker disable next-line ConditionalExpression: nothing is launched after a failed batch: its sizing is never used
      if (batch.failure === undefined)
        // Stryker disable next-line ConditionalExpression,EqualityOperator: every batch that ran has a start time, performance.now() > 0
        sizer.record(slot.size, batch.durationMs ?? 0, startedAt > 0 ? performance.now() - startedAt : 0);
      slot.value = batch.results;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: unordered, a failure cancels every job: none settles after it
      if (!ordered && slot.position < failedAt) for (const result of batch.results) ready.push(result);
      if (batch.failure !== undefined) {
        this.taskFailed(slot, batch.failure.error);
        return;
      }
    } else {
      slot.value = value;
      // Stryker disable next-line ConditionalExpression: unordered, a failure cancels every job: none settles after it
      if (!this.ordered && this.failedAt === Number.POSITIVE_INFINITY) this.ready.push(value);
    }
    // Called from inside fill() when the task finished synchronously; fill's own loop goes on.
    // Stryker disable next-line ConditionalExpression: fill() returns at once while filling
    if (!this.filling) this.fill();
  }

  /**
   * A task of this map failed. The earliest failure in input order (ordered) or in time
   * (unordered) is the one thrown; the slots whose results would come after it are cancelled.
   */
  private taskFailed(slot: Slot, error: unknown): void {
    if (this.finished || this.failure) return;
    const ordered = this.ordered;
    // Cancelled because of an earlier failure, or failing after one (unordered: later in time).
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a later failure (a job the first cancelled) is never reached by the consumer
    if (!ordered ? this.failedAt !== Number.POSITIVE_INFINITY : slot.position > this.failedAt) return;
    slot.error = error;
    this.failedAt = slot.position;
    // Stryker disable next-line ConditionalExpression: ordered mode never reads `ready`
    if (!ordered) this.ready.push(new Failure(error));
    this.stopPulling();
    const cancelled = new CancelledError('map stopped: another of its tasks failed');
    const after: Slot[] = [];
    for (let other = this.inFlight.head; other !== null; other = other.next)
      // Stryker disable next-line EqualityOperator: the failing slot has left the in-flight list already
      if (!ordered || other.position > this.failedAt) after.push(other);
    for (const other of after) {
      this.inFlight.delete(other);
      other.job!.cancel(cancelled);
    }
    // Stryker disable next-line ConditionalExpression: after a failure a nested fill pulls nothing and delivers as the outer one would
    if (!this.filling) this.fill();
  }

  /** Hands results (or the failure, or the end) to waiting `next()` calls. */
  private deliver(): void {
    const waiters = this.waiters;
    while (waiters.length > 0) {
      if (this.failure) {
        const { error } = this.failure;
        this.finished = true;
        waiters.shift()!.reject(error);
        for (const waiter of waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
        return;
      }
      const value = this.takeResult();
      if (value instanceof Failure) {
        this.failure = { error: value.error };
        // Stryker disable next-line StringLiteral: no job is in flight when the consumer reaches a failure: none hears this
        this.stop(new CancelledError('map stopped: another of its tasks failed'));
        continue;
      }
      if (value !== noResult) {
        this.outstanding--;
        waiters.shift()!.resolve({ done: false, value });
        continue;
      }
      const { finished, sourceDone, pulling } = this;
      // Stryker disable next-line ConditionalExpression,LogicalOperator: a map that launched nothing and pulls nothing has a done source
      if (!finished && sourceDone && !pulling && this.inFlight.size === 0 && this.nameChecked !== 'yes') {
        this.checkName();
        return;
      }
      // Stryker disable next-line LogicalOperator: nothing in flight or pulled and a source not done cannot all hold here
      if (finished || (sourceDone && !pulling && this.inFlight.size === 0)) {
        this.end();
        for (const waiter of waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
      }
      return;
    }
  }

  private takeResult(): unknown {
    if (this.ordered) {
      const slot = this.inOrder[this.inOrderHead];
      if (!slot?.settled) return noResult;
      let value = slot.value;
      if (this.batched) {
        const values = (slot.value ?? noResults) as unknown[];
        if (slot.index === values.length) return new Failure(slot.error);
        value = values[slot.index++];
        if (slot.index < values.length || slot.error !== noError) return value;
      } else if (slot.error !== noError) {
        return new Failure(slot.error);
      }
      // Clear the slot: a consumed result must not stay reachable until the next compaction.
      this.inOrder[this.inOrderHead++] = undefined as unknown as Slot;
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: memory only: consumed results are already cleared; this returns their array slots
      if (this.inOrderHead > 1024 && this.inOrderHead * 2 > this.inOrder.length) {
        this.inOrder.splice(0, this.inOrderHead);
        this.inOrderHead = 0;
      }
      return value;
    }
    const ready = this.ready;
    if (this.readyHead >= ready.length) return noResult;
    const value = ready[this.readyHead];
    if (value instanceof Failure) return value;
    ready[this.readyHead++] = undefined;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: memory only: consumed results are already cleared; this returns their array slots
    if (this.readyHead > 1024 && this.readyHead * 2 > ready.length) {
      ready.splice(0, this.readyHead);
      this.readyHead = 0;
    }
    return value;
  }

  /** Stops pulling, cancels what is in flight and closes the input. */
  private stop(reason: unknown): void {
    const inFlight = this.inFlight;
    for (let slot = inFlight.head; slot !== null; slot = inFlight.head) {
      inFlight.delete(slot);
      slot.job!.cancel(reason);
    }
    this.signal?.removeEventListener('abort', this.onAbort);
    this.stopPulling();
    this.letGoOfStorage();
  }

  /** Pulls no more input, and closes the input. */
  private stopPulling(): void {
    if (this.source && !this.sourceDone) {
      // Stryker disable next-line BooleanLiteral: set again right after the if
      this.sourceDone = true;
      closeSource(this.source);
    }
    this.sourceDone = true;
  }

  private end(): void {
    // Stryker disable next-line BooleanLiteral: a later next() ends the same way: sourceDone, nothing in flight
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.letGoOfStorage();
  }

  private letGoOfStorage(): void {
    if (!this.holdingStorage) return;
    // Stryker disable next-line BooleanLiteral: a map stops or ends once: this is never reached twice while holding
    this.holdingStorage = false;
    releaseTaskStorage();
  }

  private fail(error: unknown): void {
    if (this.finished || this.failure) return;
    this.failure = { error };
    this.stop(new CancelledError('map stopped: another of its tasks failed or it was aborted'));
    this.deliver();
  }

  private nextInScope(): Promise<IteratorResult<unknown>> {
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    if (this.source === null && !this.failure) this.start();
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: cost only: a next() that waits means no result was ready, and the promise path yields the same
    if (this.waiters.length === 0 && !this.failure) {
      // Fast path: a result is ready (or becomes ready as fill() runs synchronous tasks).
      this.fill();
      const value = this.takeResult();
      if (value !== noResult && !(value instanceof Failure)) {
        this.outstanding--;
        this.fill();
        return Promise.resolve({ done: false, value });
      }
    }
    return new Promise<IteratorResult<unknown>>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.fill();
    });
  }
}

const noResult: unique symbol = Symbol('no result');

function closeSource(source: Iterator<unknown> | AsyncIterator<unknown>): void {
  try {
    // Stryker disable next-line OptionalChaining: inside a try that ignores a missing or failing return()
    const closing = source.return?.();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: inside a try that ignores a missing or failing return()
    if (closing && typeof (closing as Promise<unknown>).then === 'function') {
      (closing as Promise<unknown>).then(undefined, () => {});
    }
  } catch {
    // The input's own cleanup failed; the map is ending anyway and has nothing to report it to.
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value != null && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}
