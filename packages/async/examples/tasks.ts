/**
 * The demo's task module: a file whose named exports are functions. The executor imports it
 * itself (from a URL) and calls its functions by name; each function also works when called
 * directly, outside any executor.
 */
import { setTimeout as sleep } from 'node:timers/promises';
// In your own code: import { taskSignal } from '@forkroad/async';
import { taskSignal } from '../src/index.js';

/** What the delay server answers. */
export interface Reply {
  id: string | null;
  ms: number;
}

/**
 * Fetches `url` and returns its JSON body. `taskSignal()` is read before the first await (by
 * default the task's context is not carried across awaits). Handing the signal to fetch is what
 * makes a timeout or an abort stop the request itself, not only the caller's wait for it.
 */
export async function fetchJson(url: string): Promise<Reply> {
  const response = await fetch(url, { signal: taskSignal() });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as Reply;
}

/**
 * Waits `ms` and returns it. A plain function returning a promise: it reads `taskSignal()` in its
 * synchronous part (the first line), the one place a task's context is visible by default.
 */
export function wait(ms: number): Promise<number> {
  const signal = taskSignal();
  return sleep(ms, ms, { signal });
}
