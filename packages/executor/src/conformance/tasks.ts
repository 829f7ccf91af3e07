/**
 * The task module the conformance suite runs on every backend. Each export exercises one part of
 * the contract; none of them is meant for real work.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { taskSignal } from '../task-context.js';

/** CLOCK_MONOTONIC in µs: one clock for every thread and process on the machine. */
function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function echo<T>(value: T): T {
  return value;
}

export function addOne(value: number): number {
  return value + 1;
}

export function noop(): void {}

/** Waits `ms` ignoring its signal, then returns `value`. */
export async function sleep<T>(ms: number, value: T): Promise<T> {
  await sleepFor(ms);
  return value;
}

/** Waits `ms` then returns `value + 1`: a map input of the form [ms, value]. */
export async function slowAddOne([ms, value]: [number, number]): Promise<number> {
  await sleepFor(ms);
  return value + 1;
}

/** Would wait `ms`, but stops as soon as its taskSignal fires: the cooperative way. */
export async function cooperative(ms: number): Promise<string> {
  await sleepFor(ms, undefined, { signal: taskSignal() });
  return 'finished';
}

/** Fails for the input 'fail'; waits cooperatively for a minute otherwise. */
export async function failOrHang(input: string): Promise<string> {
  if (input === 'fail') throw new Error('fail');
  return cooperative(60_000);
}

/** Reports when it ran, for checking how many tasks overlap. */
export async function probe(ms: number): Promise<[number, number]> {
  const start = nowMicros();
  await sleepFor(ms);
  return [start, nowMicros()];
}

/** Throws a plain Error carrying `props` as own properties. */
export function fail(message: string, props: Record<string, unknown> = {}): never {
  throw Object.assign(new Error(message), props);
}

/** Fails map input `failOn` and returns the others plus one. */
export async function failOn([value, failOn]: [number, number]): Promise<number> {
  await sleepFor(1);
  if (value === failOn) throw new Error(`input ${value} failed`);
  return value + 1;
}

/** Waits `ms`, then fails if `value` is `failOn` and returns `value + 1` otherwise. */
export async function slowFailOn([ms, value, failOn]: [number, number, number]): Promise<number> {
  await sleepFor(ms);
  if (value === failOn) throw new Error(`input ${value} failed`);
  return value + 1;
}

/**
 * The store of the suite's AsyncLocalStorage as this task sees it after an await, or 'elsewhere'
 * when the task runs in another thread or process, where the suite's storage does not exist.
 */
export async function contextProbe(): Promise<unknown> {
  const storage = (globalThis as { [key: symbol]: { getStore(): unknown } | undefined })[
    Symbol.for('forkroad.conformance.context')
  ];
  if (storage === undefined) return 'elsewhere';
  await sleepFor(1);
  return storage.getStore() ?? 'lost';
}

class ValidationError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
ValidationError.prototype.name = 'ValidationError';

/** Throws a subclassed error with a code, structured details and a cause. */
export async function failWithDetails(field: string): Promise<never> {
  await sleepFor(1);
  throw new ValidationError(
    `invalid ${field}`,
    'E_INVALID',
    { field },
    { cause: new RangeError('out of range') },
  );
}

/** Busy-waits `ms` without ever yielding: the stuck synchronous loop. */
export function spin(ms: number): number {
  const end = performance.now() + ms;
  let turns = 0;
  while (performance.now() < end) turns++;
  return turns;
}

/** Which worker runs tasks: changes when a worker is replaced. */
export function workerIdentity(): string {
  return `${process.pid}:${threadId}`;
}

export function exitWorker(code: number): never {
  process.exit(code);
}

/** Throws from a timer callback, outside any task's promise. */
export function throwInCallback(): Promise<never> {
  setTimeout(() => {
    throw new Error('thrown in a callback');
  }, 0);
  return new Promise(() => {});
}

/** Allocates until the heap limit is hit. */
export function exhaustMemory(): number {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
}

/** Returns something structured clone cannot copy. */
export function unclonableResult(): () => void {
  return () => {};
}

export const notAFunction = 42;
