/**
 * Staging: while tasks are short, each worker is handed a few tasks beyond the one it runs, so
 * that the next starts without a message round trip. What a user must never notice: a staged
 * task's timeout counts from its start, an abort before it starts means it never runs, and a
 * worker that dies loses none of the tasks staged behind its running one.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Executor, QueueFullError, WorkerCrashedError } from '@forkroad/executor';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createWorkerPoolExecutor, type Runtime } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const pools: Executor<Tasks>[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'forkroad-staging-'));

afterEach(async () => {
  await Promise.all(pools.splice(0).map((executor) => executor.shutdown({ cancelPending: true })));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

for (const [runtime, name] of [
  ['worker_threads', '@forkroad/threads'],
  ['child_process', '@forkroad/processes'],
] as [Runtime, string][]) {
  /** A one-worker pool that has seen tiny tasks, so that it stages the next ones. */
  async function warmPool(maxQueue?: number): Promise<Executor<Tasks>> {
    const executor = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, { concurrency: 1, maxQueue });
    pools.push(executor);
    for (const i of range(50)) await executor.submit('addOne', [i]);
    return executor;
  }

  describe(`${name}: tasks staged behind a running one`, () => {
    it('count as queued, and their timeout counts from their start, not from when they were staged', async () => {
      const executor = await warmPool();
      const first = executor.submit('sleep', [300, 'first']);
      const staged = range(4).map((i) => executor.submit('sleep', [20, i], { timeout: 250 }));
      expect(executor.stats()).toMatchObject({ running: 1, queued: 4 });
      expect(await first).toBe('first');
      expect(await Promise.all(staged)).toEqual(range(4));
    }, 30_000);

    it('count against maxQueue', async () => {
      const executor = await warmPool(2);
      const running = executor.submit('sleep', [200, 'running']);
      const waiting = [executor.submit('addOne', [1]), executor.submit('addOne', [2])];
      await expect(executor.submit('addOne', [3])).rejects.toBeInstanceOf(QueueFullError);
      expect(await running).toBe('running');
      expect(await Promise.all(waiting)).toEqual([2, 3]);
    }, 30_000);

    it('one aborted before it starts never runs, and the rest run in order', async () => {
      const executor = await warmPool();
      const trace = join(scratch, `${runtime}-abort.txt`);
      const controller = new AbortController();
      const first = executor.submit('sleep', [300, 'first']);
      const aborted = executor.submit('mark', [[trace, 'aborted']], { signal: controller.signal });
      const after = range(3).map((i) => executor.submit('mark', [[trace, `after ${i}`]]));
      setTimeout(() => controller.abort(new Error('changed my mind')), 50);
      await expect(aborted).rejects.toThrow('changed my mind');
      expect(await first).toBe('first');
      expect(await Promise.all(after)).toEqual(['after 0', 'after 1', 'after 2']);
      expect(readFileSync(trace, 'utf8')).toBe('after 0\nafter 1\nafter 2\n');
      expect(executor.stats()).toMatchObject({ completed: 54, cancelled: 1, running: 0, queued: 0 });
    }, 30_000);

    it('a worker that dies fails only its running task; the staged ones run on its replacement', async () => {
      const executor = await warmPool();
      const crash = executor.submit('exitWorker', [3]);
      const staged = range(4).map((i) => executor.submit('addOne', [i]));
      const error = await crash.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerCrashedError);
      expect((error as WorkerCrashedError).exitCode).toBe(3);
      expect(await Promise.all(staged)).toEqual([1, 2, 3, 4]);
      expect(executor.stats()).toMatchObject({ completed: 54, failed: 1, running: 0, queued: 0 });
    }, 30_000);

    it('shutdown({ cancelPending: true }) cancels staged tasks, which never run', async () => {
      const executor = await warmPool();
      const trace = join(scratch, `${runtime}-shutdown.txt`);
      const first = executor.submit('sleep', [200, 'first']);
      const staged = range(3).map((i) =>
        executor.submit('mark', [[trace, `staged ${i}`]]).catch((e: Error) => e.name),
      );
      await executor.shutdown({ cancelPending: true });
      expect(await first).toBe('first');
      expect(await Promise.all(staged)).toEqual(['CancelledError', 'CancelledError', 'CancelledError']);
      expect(() => readFileSync(trace, 'utf8')).toThrow(/ENOENT/);
    }, 30_000);
  });
}
