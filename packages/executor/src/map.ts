import { AsyncResource } from 'node:async_hooks';
import type { BatchCall, BatchResult } from './backend.js';
import { CancelledError } from './errors.js';
import { movingMean } from './moving-mean.js';
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

  function start(): void {
    if (signal?.aborted) {
      fail(signal.reason);
      return;
    }
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
    if (finished || failure) return;
    if (batched) {
      const batch = value as BatchResult;
      const startedAt = slot.job?.startedAt ?? 0;
      if (batch.failure === undefined)
        sizer.record(slot.size, batch.durationMs ?? 0, startedAt > 0 ? performance.now() - startedAt : 0);
      slot.value = batch.results;
      if (!ordered && slot.position < failedAt) for (const result of batch.results) ready.push(result);
      if (batch.failure !== undefined) {
        taskFailed(slot, batch.failure.error);
        return;
      }
    } else {
      slot.value = value;
      if (!ordered && failedAt === Number.POSITIVE_INFINITY) ready.push(value);
    }
    // Called from inside fill() when the task finished synchronously; fill's own loop goes on.
    if (!filling) fill();
  }

  /**
   * A task of this map failed. The earliest failure in input order (ordered) or in time
   * (unordered) is the one thrown; the slots whose results would come after it are cancelled.
   */
  function taskFailed(slot: Slot, error: unknown): void {
    if (finished || failure) return;
    // Cancelled because of an earlier failure, or failing after one (unordered: later in time).
    if (!ordered ? failedAt !== Number.POSITIVE_INFINITY : slot.position > failedAt) return;
    slot.error = error;
    failedAt = slot.position;
    if (!ordered) ready.push(new Failure(error));
    stopPulling();
    const cancelled = new CancelledError('map stopped: another of its tasks failed');
    const after: Slot[] = [];
    for (let other = inFlight.head; other !== null; other = other.next)
      if (!ordered || other.position > failedAt) after.push(other);
    for (const other of after) {
      inFlight.delete(other);
      other.job!.cancel(cancelled);
    }
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
        stop(new CancelledError('map stopped: another of its tasks failed'));
        continue;
      }
      if (value !== noResult) {
        outstanding--;
        waiters.shift()!.resolve({ done: false, value });
        continue;
      }
      if (!finished && sourceDone && !pulling && inFlight.size === 0 && nameChecked !== 'yes') {
        checkName();
        return;
      }
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
  }

  /** Pulls no more input, and closes the input. */
  function stopPulling(): void {
    if (source && !sourceDone) {
      sourceDone = true;
      closeSource(source);
    }
    sourceDone = true;
  }

  function end(): void {
    finished = true;
    signal?.removeEventListener('abort', onAbort);
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
    const closing = source.return?.();
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
