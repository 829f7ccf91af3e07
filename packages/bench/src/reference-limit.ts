import { AsyncResource } from 'node:async_hooks';

/** Calls `task(...args)` once a place is free; answers with what the task's promise settles to. */
export type ReferenceLimit = <A extends unknown[], T>(
  task: (...args: A) => Promise<T>,
  args: A,
) => Promise<T>;

/** A waiting call, as small as a queue entry can be. */
interface Waiting {
  next: Waiting | null;
  readonly task: (...args: any[]) => Promise<unknown>;
  readonly args: unknown[];
  readonly resolve: (value: unknown) => void;
}

class PlainWaiting implements Waiting {
  next: Waiting | null = null;
  constructor(
    readonly task: (...args: any[]) => Promise<unknown>,
    readonly args: unknown[],
    readonly resolve: (value: unknown) => void,
  ) {}
}

/** The same entry, which is also its caller's async context. */
class WaitingInContext extends AsyncResource implements Waiting {
  next: Waiting | null = null;
  constructor(
    readonly task: (...args: any[]) => Promise<unknown>,
    readonly args: unknown[],
    readonly resolve: (value: unknown) => void,
  ) {
    super('forkroad.bench.referenceLimit');
  }
}

/**
 * The least a FIFO limit does for `async` tasks: at most `concurrency` running, the rest queued,
 * each caller answered with its task's outcome; no validation, timeouts, signals, stats or
 * shutdown. A reference row for the `overhead-async` race, not a library: the floor under
 * forkroad's `submit` (same call shape: a task and its arguments array).
 *
 * With `keepContext`, a queued call runs in its caller's async context (guarantee 7), kept the
 * cheapest public way there is: the queue entry is itself an AsyncResource. Without it, a queued
 * call runs in the context of the task that freed its place: the bug p-limit fixed. The two rows
 * measure what keeping the context costs, apart from everything else a pool does.
 */
export function referenceLimit(concurrency: number, keepContext: boolean): ReferenceLimit {
  let head: Waiting | null = null;
  let tail: Waiting | null = null;
  let running = 0;
  // One promise executor for every call rather than a closure each.
  let captured: ((value: unknown) => void) | null = null;
  const capture = (resolve: (value: unknown) => void) => {
    captured = resolve;
  };

  const finished = () => {
    running--;
    if (head === null) return;
    const entry = head;
    head = entry.next;
    if (head === null) tail = null;
    if (entry instanceof WaitingInContext) entry.runInAsyncScope(startWaiting, null, entry);
    else startWaiting(entry);
  };
  const start = (
    task: (...args: any[]) => Promise<unknown>,
    args: unknown[],
    resolve: (value: unknown) => void,
  ) => {
    running++;
    task(...args).then(
      (value) => {
        resolve(value);
        finished();
      },
      (error) => {
        resolve(Promise.reject(error));
        finished();
      },
    );
  };
  const startWaiting = (entry: Waiting) => start(entry.task, entry.args, entry.resolve);

  return ((task: (...args: any[]) => Promise<unknown>, args: unknown[]) => {
    const promise = new Promise(capture);
    const resolve = captured!;
    captured = null;
    if (running < concurrency && head === null) {
      start(task, args, resolve);
    } else {
      const entry = keepContext
        ? new WaitingInContext(task, args, resolve)
        : new PlainWaiting(task, args, resolve);
      if (tail === null) head = entry;
      else tail.next = entry;
      tail = entry;
    }
    return promise;
  }) as ReferenceLimit;
}
