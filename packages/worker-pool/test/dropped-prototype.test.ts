/**
 * A class instance sent to a worker, on both runtimes: structured clone and v8.serialize copy it
 * as a plain object, and the executor says so once per class with a process warning.
 */
import { DROPPED_PROTOTYPE_WARNING } from '@forkroad/executor';
import { describe, expect, it } from 'vitest';
import { createWorkerPoolExecutor, type Runtime } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const packageOf: Record<Runtime, string> = {
  worker_threads: '@forkroad/threads',
  child_process: '@forkroad/processes',
};

describe.each(['worker_threads', 'child_process'] as const)(
  'a class instance sent to a %s worker',
  (runtime) => {
    it('arrives as a plain object with its own fields, and a warning says so once', async () => {
      // A class of its own per runtime: the warning is once per class and process.
      class Point {
        #secret = 1;
        y = 2;
        get secret() {
          return this.#secret;
        }
      }
      const warnings: (Error & { code?: string })[] = [];
      const listen = (warning: Error) => warnings.push(warning);
      process.on('warning', listen);
      // As @forkroad/threads or @forkroad/processes presents the pool: the warning names that package.
      const pool = createWorkerPoolExecutor<Tasks>(
        { runtime, name: packageOf[runtime], optionKeys: [] },
        new URL('./fixtures/tasks.mjs', import.meta.url),
        {
          concurrency: 1,
        },
      );
      try {
        expect(await pool.submit('sleep', [0, new Point()])).toEqual({ y: 2 });
        expect(await pool.submit('sleep', [0, { inside: new Point() }])).toEqual({ inside: { y: 2 } });
        await new Promise((resolve) => setImmediate(resolve));
        const ours = warnings.filter((w) => w.code === DROPPED_PROTOTYPE_WARNING);
        expect(ours).toHaveLength(1);
        expect(ours[0]!.message).toMatch(/task 'sleep' was sent an instance of Point/);
        expect(ours[0]!.name).toBe(`${packageOf[runtime]} warning`);
      } finally {
        process.off('warning', listen);
        await pool.shutdown();
      }
    });
  },
);
