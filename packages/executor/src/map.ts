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
  const sizer = new ChunkSizer(chunkSize === 'auto' ? (host.batchesPayOff ? null : 1) : chunkSize);
  const batched = chunkSize !== 1 && (chunkSize !== 'auto' || host.batchesPayOff);
  const isAsync = isAsyncIterable(inputs);
  if (!isAsync && !isIterable(inputs)) {
    throw new TypeError(
      `map('${name}', inputs): inputs must be an iterable or async iterable, got ${describe(inputs)}`,
    );
  }

  let source: Iterator<unknown> | AsyncIterator<unknown> | null = null;
  let sourceDone = false;
  let pulling = false;
  let filling = false;
  let finished = false;
  let failure: { error: unknown } | null = null;
  /** Inputs pulled whose results have not been handed to the consumer yet. */
  let outstanding = 0;
  /** Slots launched so far: the next slot's position. */
  let launched = 0;
  /** Set once a task has failed: the position of the earliest failed slot. */
  let failedAt = Number.POSITIVE_INFINITY;
  /**
   * Whether the task name is known good: any task launched says so; a map given no input asks
   * the executor (`checkTask`), so that `map('nope', [])` fails as `submit('nope', …)` does.
   */
  // Stryker disable next-line StringLiteral: 'no' is only ever compared with 'checking' and 'yes'
  let nameChecked: 'no' | 'checking' | 'yes' = 'no';
  const owner: SlotOwner = {
    answered(slot, ok, value) {
      if (ok) settle(slot, value);
      else abandon(slot, value);
    },
  };
  /** The slots whose jobs have not settled, as an intrusive list: no allocation per input. */
  const inFlight = {
    head: null as Slot | null,
    size: 0,
    add(slot: Slot): void {
      slot.next = this.head;
      if (this.head) this.head.prev = slot;
      this.head = slot;
      this.size++;
    },
    delete(slot: Slot): void {
      if (slot.prev) slot.prev.next = slot.next;
      else if (this.head === slot) this.head = slot.next;
      else return;
      // Stryker disable next-line ConditionalExpression: a stale prev is only followed from a settled slot, whose cancel does nothing
      if (slot.next) slot.next.prev = slot.prev;
      slot.prev = slot.next = null;
      this.size--;
    },
  };
  const inOrder: Slot[] = [];
  let inOrderHead = 0;
  const ready: unknown[] = [];
  let readyHead = 0;
  const waiters: Waiter[] = [];
  const context = new AsyncResource('forkroad.map');
  const onAbort = () => fail(signal!.reason);
  /** Whether it holds the task storage: from the first `next()` until it stops or ends. */
  let holdingStorage = false;

  function start(): void {
    retainTaskStorage();
    holdingStorage = true;
    if (signal?.aborted) {
      fail(signal.reason);
      return;
    }
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: an AbortSignal fires 'abort' once
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      source = isAsync
        ? (inputs as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (inputs as Iterable<unknown>)[Symbol.iterator]();
    } catch (error) {
      fail(error);
    }
  }

  // map is not staged ahead: batching (chunkSize) is how map saves messages, and its window stays
  // what the docs promise.
  function windowFull(): boolean {
    const chunk = sizer.size;
    return inFlight.size >= concurrency || outstanding + chunk > 2 * concurrency * chunk;
  }

  /**
   * Launches what the window allows, then delivers. It runs in the async context of the `map` call
   * (guarantee 7): `next()` enters it, and the callbacks of this map's tasks (settling, timing
   * out) and of its async input carry it, since they are registered where their task was started.
   * Aborts, failures and shutdown launch nothing more.
   */
  function fill(): void {
    // Stryker disable next-line ConditionalExpression: settle and taskFailed, the only callers while filling, check it first
    if (filling) return;
    filling = true;
    try {
      fillWindow();
    } finally {
      filling = false;
    }
    deliver();
  }

  function fillWindow(): void {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: whatever sets finished or failure has set sourceDone
    while (!finished && !failure && !sourceDone && !pulling && !windowFull()) {
      const size = sizer.size;
      if (isAsync) {
        pulling = true;
        pullAsync(source as AsyncIterator<unknown>, size).then(
          (items) => {
            pulling = false;
            if (finished || failure) return;
            // Inputs pulled after a task failed are dropped: nothing after a failure runs.
            if (failedAt === Number.POSITIVE_INFINITY) {
              if (items.length === 1 && !batched) launchOne(items[0]);
              else if (items.length > 0) launchBatch(items);
            }
            fill();
          },
          (error) => {
            // Stryker disable next-line BooleanLiteral: the map ends in fail(): nothing reads pulling afterwards
            pulling = false;
            fail(error);
          },
        );
        return;
      }
      if (!batched) {
        // The common case, kept free of per-input arrays.
        let step: IteratorResult<unknown>;
        try {
          step = (source as Iterator<unknown>).next();
        } catch (error) {
          fail(error);
          return;
        }
        if (step.done) sourceDone = true;
        else launchOne(step.value);
        continue;
      }
      let items: unknown[];
      try {
        items = pullSync(source as Iterator<unknown>, size);
      } catch (error) {
        fail(error);
        return;
      }
      if (items.length > 0) launchBatch(items);
    }
  }

  function pullSync(iterator: Iterator<unknown>, size: number): unknown[] {
    const items: unknown[] = [];
    while (items.length < size) {
      const step = iterator.next();
      if (step.done) {
        sourceDone = true;
        break;
      }
      items.push(step.value);
    }
    return items;
  }

  async function pullAsync(iterator: AsyncIterator<unknown>, size: number): Promise<unknown[]> {
    const items: unknown[] = [];
    while (items.length < size) {
      const step = await iterator.next();
      if (finished || failure || failedAt !== Number.POSITIVE_INFINITY) break;
      if (step.done) {
        sourceDone = true;
        break;
      }
      items.push(step.value);
    }
    return items;
  }

  function launchOne(input: unknown): void {
    launch(new Slot(owner, [input], 1), false);
  }

  function launchBatch(items: unknown[]): void {
    launch(new Slot(owner, items, items.length), true);
  }

  function checkName(): void {
    if (nameChecked === 'checking') return;
    nameChecked = 'checking';
    host.checkTask(name).then(
      () => {
        nameChecked = 'yes';
        deliver();
      },
      (error: unknown) => {
        // Stryker disable next-line StringLiteral: the map ends in fail(): the name is not checked again
        nameChecked = 'yes';
        fail(error);
      },
    );
  }

  function launch(slot: Slot, batch: boolean): void {
    nameChecked = 'yes';
    slot.position = launched++;
    outstanding += slot.size;
    // Before enqueueing: a task that fails synchronously must find its slot in place.
    if (ordered) inOrder.push(slot);
    try {
      slot.job = batch
        ? host.enqueue(name, noArgs, { name, inputs: slot.args }, timeout, slot)
        : host.enqueue(name, slot.args, null, timeout, slot);
    } catch (error) {
      fail(error);
      return;
    }
    // A task that finished synchronously has settled already and must not count as in flight.
    if (!slot.settled) inFlight.add(slot);
  }

  function abandon(slot: Slot, error: unknown): void {
    slot.settled = true;
    inFlight.delete(slot);
    taskFailed(slot, error);
  }

  function settle(slot: Slot, value: unknown): void {
    slot.settled = true;
    inFlight.delete(slot);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: an ended or failed map has cancelled every job in flight
    if (finished || failure) return;
    if (batched) {
      const batch = value as BatchResult;
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
        taskFailed(slot, batch.failure.error);
        return;
      }
    } else {
      slot.value = value;
      // Stryker disable next-line ConditionalExpression: unordered, a failure cancels every job: none settles after it
      if (!ordered && failedAt === Number.POSITIVE_INFINITY) ready.push(value);
    }
    // Called from inside fill() when the task finished synchronously; fill's own loop goes on.
    // Stryker disable next-line ConditionalExpression: fill() returns at once while filling
    if (!filling) fill();
  }

  /**
   * A task of this map failed. The earliest failure in input order (ordered) or in time
   * (unordered) is the one thrown; the slots whose results would come after it are cancelled.
   */
  function taskFailed(slot: Slot, error: unknown): void {
    if (finished || failure) return;
    // Cancelled because of an earlier failure, or failing after one (unordered: later in time).
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a later failure (a job the first cancelled) is never reached by the consumer
    if (!ordered ? failedAt !== Number.POSITIVE_INFINITY : slot.position > failedAt) return;
    slot.error = error;
    failedAt = slot.position;
    // Stryker disable next-line ConditionalExpression: ordered mode never reads `ready`
    if (!ordered) ready.push(new Failure(error));
    stopPulling();
    const cancelled = new CancelledError('map stopped: another of its tasks failed');
    const after: Slot[] = [];
    for (let other = inFlight.head; other !== null; other = other.next)
      // Stryker disable next-line EqualityOperator: the failing slot has left the in-flight list already
      if (!ordered || other.position > failedAt) after.push(other);
    for (const other of after) {
      inFlight.delete(other);
      other.job!.cancel(cancelled);
    }
    // Stryker disable next-line ConditionalExpression: after a failure a nested fill pulls nothing and delivers as the outer one would
    if (!filling) fill();
  }

  /** Hands results (or the failure, or the end) to waiting `next()` calls. */
  function deliver(): void {
    while (waiters.length > 0) {
      if (failure) {
        const { error } = failure;
        finished = true;
        waiters.shift()!.reject(error);
        for (const waiter of waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
        return;
      }
      const value = takeResult();
      if (value instanceof Failure) {
        failure = { error: value.error };
        // Stryker disable next-line StringLiteral: no job is in flight when the consumer reaches a failure: none hears this
        stop(new CancelledError('map stopped: another of its tasks failed'));
        continue;
      }
      if (value !== noResult) {
        outstanding--;
        waiters.shift()!.resolve({ done: false, value });
        continue;
      }
      // Stryker disable next-line ConditionalExpression,LogicalOperator: a map that launched nothing and pulls nothing has a done source
      if (!finished && sourceDone && !pulling && inFlight.size === 0 && nameChecked !== 'yes') {
        checkName();
        return;
      }
      // Stryker disable next-line LogicalOperator: nothing in flight or pulled and a source not done cannot all hold here
      if (finished || (sourceDone && !pulling && inFlight.size === 0)) {
        end();
        for (const waiter of waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
      }
      return;
    }
  }

  function takeResult(): unknown {
    if (ordered) {
      const slot = inOrder[inOrderHead];
      if (!slot?.settled) return noResult;
      let value = slot.value;
      if (batched) {
        const values = (slot.value ?? noResults) as unknown[];
        if (slot.index === values.length) return new Failure(slot.error);
        value = values[slot.index++];
        if (slot.index < values.length || slot.error !== noError) return value;
      } else if (slot.error !== noError) {
        return new Failure(slot.error);
      }
      // Clear the slot: a consumed result must not stay reachable until the next compaction.
      inOrder[inOrderHead++] = undefined as unknown as Slot;
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: memory only: consumed results are already cleared; this returns their array slots
      if (inOrderHead > 1024 && inOrderHead * 2 > inOrder.length) {
        inOrder.splice(0, inOrderHead);
        inOrderHead = 0;
      }
      return value;
    }
    if (readyHead >= ready.length) return noResult;
    const value = ready[readyHead];
    if (value instanceof Failure) return value;
    ready[readyHead++] = undefined;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: memory only: consumed results are already cleared; this returns their array slots
    if (readyHead > 1024 && readyHead * 2 > ready.length) {
      ready.splice(0, readyHead);
      readyHead = 0;
    }
    return value;
  }

  /** Stops pulling, cancels what is in flight and closes the input. */
  function stop(reason: unknown): void {
    for (let slot = inFlight.head; slot !== null; slot = inFlight.head) {
      inFlight.delete(slot);
      slot.job!.cancel(reason);
    }
    signal?.removeEventListener('abort', onAbort);
    stopPulling();
    letGoOfStorage();
  }

  /** Pulls no more input, and closes the input. */
  function stopPulling(): void {
    if (source && !sourceDone) {
      // Stryker disable next-line BooleanLiteral: set again right after the if
      sourceDone = true;
      closeSource(source);
    }
    sourceDone = true;
  }

  function end(): void {
    // Stryker disable next-line BooleanLiteral: a later next() ends the same way: sourceDone, nothing in flight
    finished = true;
    signal?.removeEventListener('abort', onAbort);
    letGoOfStorage();
  }

  function letGoOfStorage(): void {
    if (!holdingStorage) return;
    // Stryker disable next-line BooleanLiteral: a map stops or ends once: this is never reached twice while holding
    holdingStorage = false;
    releaseTaskStorage();
  }

  function fail(error: unknown): void {
    if (finished || failure) return;
    failure = { error };
    stop(new CancelledError('map stopped: another of its tasks failed or it was aborted'));
    deliver();
  }

  function next(): Promise<IteratorResult<unknown>> {
    if (finished) return Promise.resolve({ done: true, value: undefined });
    if (source === null && !failure) start();
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: cost only: a next() that waits means no result was ready, and the promise path yields the same
    if (waiters.length === 0 && !failure) {
      // Fast path: a result is ready (or becomes ready as fill() runs synchronous tasks).
      fill();
      const value = takeResult();
      if (value !== noResult && !(value instanceof Failure)) {
        outstanding--;
        fill();
        return Promise.resolve({ done: false, value });
      }
    }
    return new Promise<IteratorResult<unknown>>((resolve, reject) => {
      waiters.push({ resolve, reject });
      fill();
    });
  }

  const iterator: AsyncIterableIterator<unknown> = {
    next() {
      return context.runInAsyncScope(next);
    },
    return(value?: unknown) {
      // Stryker disable next-line ConditionalExpression: after the end nothing is in flight, pulled or waiting
      if (!finished) {
        finished = true;
        stop(new CancelledError('map iteration ended early'));
        for (const waiter of waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
      }
      return Promise.resolve({ done: true, value });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
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
