import { describe, expect, it } from 'vitest';
import { createExecutor, DROPPED_PROTOTYPE_WARNING } from '../dist/index.js';

class Point {
  #secret = 1;
  y = 2;
  get secret() {
    return this.#secret;
  }
}

describe('a class instance sent to a worker', () => {
  it('arrives as a plain object with its own fields, and a warning says so once', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    const pool = createExecutor<typeof import('./fixtures/tasks.mjs')>(
      new URL('./fixtures/tasks.mjs', import.meta.url),
      {
        concurrency: 1,
      },
    );
    try {
      expect(await pool.submit('sleep', [0, new Point()])).toEqual({ y: 2 });
      expect(await pool.submit('sleep', [0, { inside: new Point() }])).toEqual({ inside: { y: 2 } });
      await new Promise((resolve) => setImmediate(resolve));
      const ours = warnings.filter(
        (w) => (w as Error & { code?: string }).code === DROPPED_PROTOTYPE_WARNING,
      );
      expect(ours).toHaveLength(1);
      expect(ours[0]!.message).toMatch(/task 'sleep' was sent an instance of Point/);
      expect(ours[0]!.name).toBe('@forkroad/threads warning');
    } finally {
      process.off('warning', listen);
      await pool.shutdown();
    }
  });
});
