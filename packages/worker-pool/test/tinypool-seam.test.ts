/**
 * The one seam to tinypool (src/tinypool-seam.ts). A tinypool release that changes what forkroad
 * reads from it fails here first, with a message saying what changed and where to look.
 */
import { describe, expect, it } from 'vitest';
import { childProcessOf, type Runtime, startWorker } from '../dist/tinypool-seam.js';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url).href;

describe('the tinypool seam', { timeout: 30_000 }, () => {
  for (const runtime of ['worker_threads', 'child_process'] as Runtime[]) {
    it(`${runtime}: starts a worker, connects it, sees it exit, through what tinypool gives`, async () => {
      const worker = startWorker(
        { runtime, env: runtime === 'child_process' ? { PATH: process.env.PATH ?? '' } : undefined },
        { module: tasksUrl },
        undefined,
      );
      const response = await worker.connected;
      expect(response).toMatchObject({ shape: { addOne: 'function' } });
      if (runtime === 'child_process') {
        // The undeclared field forkroad reads: the ChildProcess, with its IPC channel and exit state.
        expect(worker.child?.pid).toEqual(expect.any(Number));
        expect(worker.child?.connected).toBe(true);
        expect(worker.child?.exitCode).toBeNull();
      } else {
        expect(worker.child).toBeNull();
      }
      const exited = new Promise<number | null>((resolve) => worker.onExit((code) => resolve(code)));
      await worker.destroy();
      expect(await exited).not.toBeUndefined();
    });
  }

  it('a child_process worker whose ChildProcess is not where forkroad reads it fails loudly', () => {
    expect(() => childProcessOf({})).toThrow(/tinypool.*src\/tinypool-seam\.ts/s);
    expect(() => childProcessOf({ process: { pid: 1 } })).toThrow(/no longer has its ChildProcess/);
  });
});
