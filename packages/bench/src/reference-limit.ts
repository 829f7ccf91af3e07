import { AsyncResource } from 'node:async_hooks';

type Task = (...args: any[]) => Promise<unknown>;
type Resolve = (value: unknown) => void;

/** A waiting call, as small as a queue entry can be. */
interface Waiting {
  next: Waiting | null;
  readonly task: Task;
  readonly args: unknown[];
  readonly resolve: Resolve;
}

class PlainWaiting implements Waiting {
  next: Waiting | null = null;
  constructor(
    readonly task: Task,
    readonly args: unknown[],
    readonly resolve: Resolve,
  ) {}
}

/** The same entry, which is also its caller's async context. */
class WaitingInContext extends AsyncResource implements Waiting {
  next: Waiting | null = null;
  constructor(
    readonly task: Task,
    readonly args: unknown[],
    readonly resolve: Resolve,
  ) {
    super('forkroad.bench.referenceLimit');
  }
}

// One promise executor for every call rather than a closure each.
let captured: Resolve | null = null;
function capture(resolve: Resolve): void {
  captured = resolve;
}

/**
 * The least a FIFO limit does for `async` tasks: at most `concurrency` running, the rest queued,
 * each caller answered with its task's outcome; no validation, timeouts, signals, stats or
 * shutdown. A reference row for the `overhead-async` race, not a library: the floor under
 * forkroad's `submit` (same call shape: a task and its arguments array). A class, so that V8
 * optimizes its code once for every limit made (closures made per limit are new call targets).
 *
 * With `keepContext`, a queued call runs in its caller's async context (guarantee 7), kept the
 * cheapest public way there is: the queue entry is itself an AsyncResource. Without it, a queued
 * call runs in the context of the task that freed its place: the bug p-limit fixed. The two rows
 * measure what keeping the context costs, apart from everything else a pool does.
 */
export class ReferenceLimit {
  private head: Waiting | null = null;
  private tail: Waiting | null = null;
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly keepContext: boolean,
  ) {}

  /** Calls `task(...args)` once a place is free; answers with what the task's promise settles to. */
  run<A extends unknown[], T>(task: (...args: A) => Promise<T>, args: A): Promise<T> {
    const promise = new Promise<unknown>(capture) as Promise<T>;
    const resolve = captured!;
    captured = null;
    if (this.running < this.concurrency && this.head === null) {
      this.start(task as Task, args, resolve);
    } else {
      const entry = this.keepContext
        ? new WaitingInContext(task as Task, args, resolve)
        : new PlainWaiting(task as Task, args, resolve);
      if (this.tail === null) this.head = entry;
      else this.tail.next = entry;
      this.tail = entry;
    }
    return promise;
  }

  private start(task: Task, args: unknown[], resolve: Resolve): void {
    this.running++;
    task(...args).then(
      (value) => {
        resolve(value);
        this.finished();
      },
      (error) => {
        resolve(Promise.reject(error));
        this.finished();
      },
    );
  }

  private startWaiting(entry: Waiting): void {
    this.start(entry.task, entry.args, entry.resolve);
  }

  private finished(): void {
    this.running--;
    const entry = this.head;
    if (entry === null) return;
    this.head = entry.next;
    if (this.head === null) this.tail = null;
    if (entry instanceof WaitingInContext) entry.runInAsyncScope(this.startWaiting, this, entry);
    else this.startWaiting(entry);
  }
}
