/**
 * One settled input of `asCompleted(promises, { settled: true })`: `Promise.allSettled`'s result
 * with the position of the promise in the input, so the caller knows which input it was.
 */
export type SettledOutcome<T> =
  | { status: 'fulfilled'; value: Awaited<T>; index: number }
  | { status: 'rejected'; reason: unknown; index: number };

export interface AsCompletedOptions {
  /**
   * `true`: yield every outcome as it settles — `{ status, value | reason, index }` — and never
   * throw for a rejection, so each failure can be handled and the loop goes on (Python's
   * `as_completed` with `future.exception()`). Default `false`: yield values, throw the first
   * rejection reached.
   */
  settled?: boolean;
}

/**
 * Yields the values of `promises` in the order they settle, like Python's `as_completed`. A
 * rejection is thrown from the iteration when it is reached; leaving the loop early is fine (the
 * rest keep running, their rejections are handled). With `{ settled: true }` it yields each
 * outcome instead, rejections included, with the index of its input.
 */
export function asCompleted<T>(
  promises: Iterable<T | PromiseLike<T>>,
  options: AsCompletedOptions & { settled: true },
): AsyncGenerator<SettledOutcome<T>, void, undefined>;
export function asCompleted<T>(
  promises: Iterable<T | PromiseLike<T>>,
  options?: AsCompletedOptions & { settled?: false },
): AsyncGenerator<Awaited<T>, void, undefined>;
export function asCompleted<T>(
  promises: Iterable<T | PromiseLike<T>>,
  options?: AsCompletedOptions,
): AsyncGenerator<Awaited<T> | SettledOutcome<T>, void, undefined>;
export async function* asCompleted<T>(
  promises: Iterable<T | PromiseLike<T>>,
  options: AsCompletedOptions = {},
): AsyncGenerator<Awaited<T> | SettledOutcome<T>, void, undefined> {
  const settled: SettledOutcome<T>[] = [];
  let wake: (() => void) | null = null;
  let pending = 0;
  for (const promise of promises) {
    const index = pending++;
    Promise.resolve(promise).then(
      (value) => push({ status: 'fulfilled', value, index }),
      (reason: unknown) => push({ status: 'rejected', reason, index }),
    );
  }
  function push(outcome: SettledOutcome<T>): void {
    settled.push(outcome);
    wake?.();
  }
  for (let yielded = 0; yielded < pending; yielded++) {
    while (settled.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const next = settled.shift()!;
    if (options.settled) yield next;
    else if (next.status === 'rejected') throw next.reason;
    else yield next.value;
  }
}
