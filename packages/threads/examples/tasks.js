// A task module: an ES module whose named exports are functions. Each worker thread imports it.
import { setTimeout as sleep } from 'node:timers/promises';
import { taskSignal } from '@forkroad/threads';

/** Trial division: CPU-bound, and a good fit for worker threads. */
export function isPrime(n) {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  const limit = Math.floor(Math.sqrt(n));
  for (let i = 3; i <= limit; i += 2) if (n % i === 0) return false;
  return true;
}

/** A tiny task: with map's chunkSize 'auto' many of them travel in one message. */
export function square(x) {
  return x * x;
}

/** Waits, but stops as soon as the task's signal fires (timeout, abort): the cooperative way. */
export async function patientlyWait(ms) {
  await sleep(ms, undefined, { signal: taskSignal() });
  return 'done waiting';
}

/** Fills a shared Int32Array with its index squared: the parent sees it without a copy. */
export function fillShared(shared) {
  const cells = new Int32Array(shared);
  for (let i = 0; i < cells.length; i++) Atomics.store(cells, i, i * i);
  return cells.length;
}
