/**
 * A task module that takes `loadMs` to load (top-level await), for checking that a task's timeout
 * counts from when it starts running, not from when the module started loading.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';

export const loadMs = 1500;

await sleepFor(loadMs);

export function echo<T>(value: T): T {
  return value;
}

export function exitWorker(code: number): never {
  process.exit(code);
}
