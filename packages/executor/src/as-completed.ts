/**
 * Yields the values of `promises` in the order they settle, like Python's `as_completed`. A
 * rejection is thrown from the iteration when it is reached; leaving the loop early is fine (the
 * rest keep running, their rejections are handled).
 */
export async function* asCompleted<T>(
  promises: Iterable<T | PromiseLike<T>>,
): AsyncGenerator<Awaited<T>, void, undefined> {
  const settled: { ok: boolean; value: unknown }[] = [];
  let wake: (() => void) | null = null;
  let pending = 0;
  for (const promise of promises) {
    pending++;
    Promise.resolve(promise).then(
      (value) => push(true, value),
      (error) => push(false, error),
    );
  }
  function push(ok: boolean, value: unknown): void {
    settled.push({ ok, value });
    wake?.();
  }
  for (let yielded = 0; yielded < pending; yielded++) {
    while (settled.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const next = settled.shift()!;
    if (!next.ok) throw next.value;
    yield next.value as Awaited<T>;
  }
}
