/**
 * map's batching (chunkSize) and shutdown while busy, on both runtimes. Examples, not timings.
 * What each backend adds (which workers exist, and that they exit) is in its own package's tests.
 */

import { CancelledError, type Executor, ExecutorClosedError } from '@forkroad/executor';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerPoolExecutor, type Runtime } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const pools: Executor<Tasks>[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((executor) => executor.shutdown({ cancelPending: true })));
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterator) out.push(value);
  return out;
}

/** Settles to 'fulfilled: value' or 'rejected: ErrorName' and records when. */
function outcome(promise: Promise<unknown>, log: string[], label: string): Promise<string> {
  return promise.then(
    (value) => {
      log.push(label);
      return `fulfilled: ${String(value)}`;
    },
    (error: Error) => {
      log.push(label);
      return `rejected: ${error.name}`;
    },
  );
}

for (const [runtime, name] of [
  ['worker_threads', '@forkroad/threads'],
  ['child_process', '@forkroad/processes'],
] as [Runtime, string][]) {
  function pool(): Executor<Tasks> {
    const executor = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, { concurrency: 2 });
    pools.push(executor);
    return executor;
  }

  describe(`${name}: map with chunkSize`, () => {
    it("chunkSize 'auto': 20,000 tiny inputs come back complete and in order, in far fewer messages", async () => {
      const executor = pool();
      const results = await collect(executor.map('tagged', range(20_000), { chunkSize: 'auto' }));
      expect(results.map(([value]) => value)).toEqual(range(20_000).map((i) => i + 1));
      const batches = new Set(results.map(([, batch]) => batch));
      expect(batches.size).toBeLessThan(2_000);
      expect(executor.stats()).toMatchObject({ completed: 20_000, failed: 0, running: 0, queued: 0 });
    }, 30_000);

    it('chunkSize 7: inputs travel seven at a time, consecutive, and come back in order', async () => {
      const executor = pool();
      const results = await collect(executor.map('tagged', range(20_000), { chunkSize: 7 }));
      expect(results.map(([value]) => value)).toEqual(range(20_000).map((i) => i + 1));
      // Inputs 7k … 7k+6 share a batch; 20,000 = 7 × 2,857 + 1.
      const batchOf = results.map(([, batch]) => batch);
      const misplaced = range(20_000).filter((i) =>
        i % 7 === 0 ? i > 0 && batchOf[i] === batchOf[i - 1] : batchOf[i] !== batchOf[i - 1],
      );
      expect(misplaced).toEqual([]);
      expect(new Set(batchOf).size).toBe(2_858);
    }, 30_000);

    it("chunkSize 'auto' with ordered: false yields every result exactly once", async () => {
      const executor = pool();
      const results = await collect(
        executor.map('addOne', range(5_000), { chunkSize: 'auto', ordered: false }),
      );
      expect(results.sort((a, b) => a - b)).toEqual(range(5_000).map((i) => i + 1));
    }, 30_000);
  });

  describe(`${name}: shutdown while busy`, () => {
    it('shutdown() lets the running and the queued tasks finish, then resolves; new work is refused', async () => {
      const executor = pool();
      const log: string[] = [];
      const tasks = range(6).map((i) => outcome(executor.submit('sleep', [150, i]), log, `task ${i}`));
      expect(executor.stats()).toMatchObject({ running: 2, queued: 4 });
      const done = executor.shutdown().then(() => log.push('shutdown'));
      expect(await executor.submit('addOne', [1]).catch((e: unknown) => e)).toBeInstanceOf(
        ExecutorClosedError,
      );
      await done;
      expect(await Promise.all(tasks)).toEqual(range(6).map((i) => `fulfilled: ${i}`));
      expect(log.at(-1)).toBe('shutdown');
      expect(executor.stats()).toMatchObject({ completed: 6, cancelled: 0, running: 0, queued: 0 });
    }, 30_000);

    it('shutdown({ cancelPending: true }) lets the running tasks finish and cancels the queued ones', async () => {
      const executor = pool();
      const log: string[] = [];
      const tasks = range(6).map((i) => outcome(executor.submit('sleep', [200, i]), log, `task ${i}`));
      await executor.shutdown({ cancelPending: true });
      expect(await Promise.all(tasks)).toEqual([
        'fulfilled: 0',
        'fulfilled: 1',
        ...range(4).map(() => `rejected: ${CancelledError.name}`),
      ]);
      expect(executor.stats()).toMatchObject({ completed: 2, cancelled: 4, running: 0, queued: 0 });
    }, 30_000);
  });
}
