/** Polling for the distributed tests; the other waiting helpers come with the conformance suite. */
import { sleep } from '@forkroad/executor/conformance';

/** Polls `check` until it returns a value that is not undefined, or fails after `ms`. */
export async function eventually<T>(
  ms: number,
  what: string,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await sleep(25);
  }
}
