/**
 * Workers ready for the first batch: `minWorkers` starts workers with the executor, and `ready()`
 * starts every worker and waits until each has loaded the task module. On both runtimes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExecutorClosedError, WorkerCrashedError } from '@forkroad/executor';
import { describe, expect, it } from 'vitest';
import { createWorkerPoolExecutor, type Runtime } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);

for (const runtime of ['worker_threads', 'child_process'] as Runtime[]) {
  describe(`${runtime}: workers ready for the first batch`, { timeout: 60_000 }, () => {
    it('minWorkers starts workers with the executor, before any task', async () => {
      await using pool = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, {
        concurrency: 2,
        minWorkers: 2,
      });
      await sleep(1_000);
      const [[first, firstAge], [second, secondAge]] = await Promise.all([
        pool.submit('whereAndAge', []),
        pool.submit('whereAndAge', []),
      ]);
      expect(first).not.toBe(second);
      // Both workers were started when the executor was made, a second ago, not by these tasks.
      expect(firstAge).toBeGreaterThan(500);
      expect(secondAge).toBeGreaterThan(500);
    });

    it('ready() starts every worker and resolves once each has loaded the task module', async () => {
      await using pool = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, { concurrency: 2 });
      await pool.ready();
      await sleep(300);
      const results = await Promise.all([pool.submit('whereAndAge', []), pool.submit('whereAndAge', [])]);
      expect(new Set(results.map(([where]) => where)).size).toBe(2);
      for (const [, age] of results) expect(age).toBeGreaterThan(250);
      await pool.ready(); // ready again: resolves at once
    });

    it('by default nothing starts until the first task, which starts every worker', async () => {
      await using pool = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, { concurrency: 2 });
      await sleep(500);
      const firstTask = Date.now();
      const [, firstLoadedAt] = await pool.submit('whereAndLoadedAt', []);
      expect(firstLoadedAt).toBeGreaterThanOrEqual(firstTask); // not started with the executor
      await sleep(1_000);
      const batch = Date.now();
      const results = await Promise.all([
        pool.submit('whereAndLoadedAt', []),
        pool.submit('whereAndLoadedAt', []),
      ]);
      expect(new Set(results.map(([where]) => where)).size).toBe(2);
      // The second worker was started by the first task, not by this batch.
      for (const [, loadedAt] of results) expect(loadedAt).toBeLessThan(batch);
    });

    it('a kept worker that crashes is started again at once', async () => {
      await using pool = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, {
        concurrency: 1,
        minWorkers: 1,
      });
      const [before] = await pool.submit('whereAndAge', []);
      expect(await pool.submit('exitWorker', [1]).catch((error) => error)).toBeInstanceOf(WorkerCrashedError);
      await sleep(1_000);
      const [after, age] = await pool.submit('whereAndAge', []);
      expect(after).not.toBe(before);
      expect(age).toBeGreaterThan(500);
    });

    it('minWorkers must be a non-negative integer; more than concurrency means all of them', async () => {
      expect(() => createWorkerPoolExecutor(runtime, tasksUrl, { minWorkers: -1 })).toThrow(/minWorkers/);
      expect(() => createWorkerPoolExecutor(runtime, tasksUrl, { minWorkers: 1.5 })).toThrow(/minWorkers/);
      await using pool = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, {
        concurrency: 1,
        minWorkers: 8,
      });
      await pool.ready();
    });

    it('ready() after shutdown rejects with ExecutorClosedError', async () => {
      const pool = createWorkerPoolExecutor<Tasks>(runtime, tasksUrl, { concurrency: 1 });
      await pool.shutdown();
      await expect(pool.ready()).rejects.toBeInstanceOf(ExecutorClosedError);
    });
  });
}
