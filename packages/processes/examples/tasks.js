// A task module: an ES module whose named exports are functions. Each worker process imports it.
import { setTimeout as sleep } from 'node:timers/promises';
import { taskSignal } from '@forkroad/processes';

/** Trial division: CPU-bound. */
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

/** Which process runs the task, and what it was given. */
export function whoAmI() {
  console.log(`hello from worker ${process.pid}`); // reaches the parent's stdout
  return { pid: process.pid, mode: process.env.APP_MODE };
}

/** Waits, but stops as soon as the task's signal fires (timeout, abort): the cooperative way. */
export async function patientlyWait(ms) {
  await sleep(ms, undefined, { signal: taskSignal() });
  return 'done waiting';
}

/** Dies the hard way: only this task fails, and the pool starts a new worker. */
export function crash() {
  process.kill(process.pid, 'SIGKILL');
}
