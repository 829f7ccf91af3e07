/**
 * The benchmark's task module. Every contestant runs these same functions, so the numbers measure
 * the scheduling around a task, not the task.
 */
import { setTimeout } from 'node:timers/promises';

/** Does nothing, synchronously: per-task overhead and nothing else. */
export function noop(): void {}

/** Waits one turn of the timer phase: the cheapest task that really waits for I/O-like events. */
export async function tick(): Promise<void> {
  await setTimeout(0);
}

/**
 * Does nothing, but is an `async function`: forkroad runs it inside AsyncLocalStorage so that
 * `taskSignal()` works after its awaits (see the README: promise hooks).
 */
export async function asyncNoop(): Promise<void> {}
