/** Small helpers the conformance tests share. */
import { CancelledError, ExecutorClosedError, TimeoutError } from '../errors.js';

export interface Watched {
  settlements: number;
  outcome?: { ok: boolean; value: unknown };
  done: Promise<void>;
}

export function watch(promise: Promise<unknown>): Watched {
  const watched: Watched = { settlements: 0, done: Promise.resolve() };
  watched.done = promise.then(
    (value) => {
      watched.settlements++;
      watched.outcome = { ok: true, value };
    },
    (error) => {
      watched.settlements++;
      watched.outcome = { ok: false, value: error };
    },
  );
  return watched;
}

export const isTimeout = (e: unknown) => e instanceof TimeoutError || (e as Error)?.name === 'TimeoutError';
export const isCancelled = (e: unknown) =>
  e instanceof CancelledError || (e as Error)?.name === 'CancelledError';
export const isClosed = (e: unknown) => e instanceof ExecutorClosedError;
export const sameAs = (expected: unknown) => (e: unknown) => e === expected;
export const failedWith = (message: string) => (e: unknown) => e instanceof Error && e.message === message;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`'s value, or rejects if it takes longer than `ms`. */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, it fulfilled');
}

/** The largest number of intervals that overlap at any instant. */
export function maxOverlap(intervals: readonly (readonly [number, number])[]): number {
  const events = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  // Ends sort before starts at the same instant: a task that ends as another starts is not overlap.
  events.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta!;
    peak = Math.max(peak, current);
  }
  return peak;
}
