/**
 * The demo's task module through the executor, against the demo's local delay server: what a user
 * of the README sees, as assertions. No timing beyond generous sanity bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DelayServer, startDelayServer } from '../examples/delay-server.js';
import type * as ExampleTasks from '../examples/tasks.js';
import { asCompleted, createExecutor, TimeoutError } from '../src/index.js';

const tasksUrl = new URL('../examples/tasks.ts', import.meta.url);

let server: DelayServer;
beforeAll(async () => {
  server = await startDelayServer();
});
afterAll(async () => {
  await server?.close();
});

async function eventually(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('examples/tasks.ts against the delay server', () => {
  it('map fetches concurrently and yields in input order, even when later inputs finish first', async () => {
    await using pool = createExecutor<typeof ExampleTasks>(tasksUrl, { concurrency: 8 });
    // Earlier inputs wait longer: completion order is the reverse of input order.
    const delays = [160, 140, 120, 100, 80, 60, 40, 20];
    const urls = delays.map((ms, i) => server.url(ms, i));
    const started = performance.now();
    const ids: (string | null)[] = [];
    for await (const reply of pool.map('fetchJson', urls)) ids.push(reply.id);
    const elapsed = performance.now() - started;
    expect(ids).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    // One after another would take 720 ms; concurrently about 160 ms. Generous for a busy machine.
    expect(elapsed).toBeLessThan(5_000);
    const unordered: (string | null)[] = [];
    for await (const reply of pool.map('fetchJson', urls, { ordered: false })) unordered.push(reply.id);
    expect([...unordered].sort()).toEqual(ids);
    expect(pool.stats()).toMatchObject({ queued: 0, running: 0, completed: 16, failed: 0, cancelled: 0 });
  });

  it('never has more requests in flight than its concurrency', async () => {
    await using pool = createExecutor<typeof ExampleTasks>(tasksUrl, { concurrency: 3 });
    const before = server.requests;
    let peak = 0;
    const promises = Array.from({ length: 12 }, (_, i) => pool.submit('fetchJson', [server.url(30, i)]));
    const watching = setInterval(() => {
      peak = Math.max(peak, pool.stats().running);
    }, 1);
    const replies = await Promise.all(promises);
    clearInterval(watching);
    expect(replies.map((reply) => reply.id)).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(server.requests - before).toBe(12);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('asCompleted yields submitted requests as they finish', async () => {
    await using pool = createExecutor<typeof ExampleTasks>(tasksUrl, { concurrency: 4 });
    const delays = [300, 10, 150];
    const finished: (string | null)[] = [];
    for await (const reply of asCompleted(
      delays.map((ms) => pool.submit('fetchJson', [server.url(ms, ms)])),
    )) {
      finished.push(reply.id);
    }
    expect(finished).toEqual(['10', '150', '300']);
  });

  it('a timeout rejects with TimeoutError and, through taskSignal(), aborts the request itself', async () => {
    await using pool = createExecutor<typeof ExampleTasks>(tasksUrl, { concurrency: 2 });
    const abandonedBefore = server.abandoned;
    const error = await pool
      // Long enough for the request to reach the server even on a loaded machine (the first
      // fetch in a process loads undici), or the server would have nothing to see abandoned.
      .submit('fetchJson', [server.url(30_000, 'slow')], { timeout: 1_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeout).toBe(1_000);
    // The slot is freed because the task stopped, long before the server would have answered.
    await eventually(() => pool.stats().running === 0);
    await eventually(() => server.abandoned === abandonedBefore + 1);
    expect(pool.stats()).toMatchObject({ failed: 1 });
  }, 20_000);

  it("an abort rejects with the signal's reason and the plain-function task stops on its taskSignal()", async () => {
    await using pool = createExecutor<typeof ExampleTasks>(tasksUrl, { concurrency: 1 });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const promise = pool.submit('wait', [30_000], { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(promise).rejects.toBe(reason);
    await eventually(() => pool.stats().running === 0);
    // With its one slot free, the next task runs at once.
    expect(await pool.submit('wait', [1])).toBe(1);
    expect(pool.stats()).toMatchObject({ completed: 1, cancelled: 1 });
  });

  it('the task functions work on their own, outside any executor', async () => {
    const tasks = await import('../examples/tasks.js');
    expect(await tasks.fetchJson(server.url(1, 'direct'))).toEqual({ id: 'direct', ms: 1 });
    expect(await tasks.wait(1)).toBe(1);
  });
});
