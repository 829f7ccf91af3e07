/**
 * On Node 20 and 22 an enabled AsyncLocalStorage keeps promise hooks on for the whole thread: a map
 * holds the task storage only while it is in progress, so that it is disabled once nothing runs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/index.js';
import { coreOver } from './fake-backend.js';

const storage = (globalThis as { [key: symbol]: unknown })[Symbol.for('forkroad.taskContext')] as
  | (AsyncLocalStorage<unknown> & { enabled?: boolean })
  | undefined;
const storageCostsEveryPromise = '_propagate' in AsyncLocalStorage.prototype;

const instant: Backend = { run: (call) => call.args[0], close: async () => {} };

/** What a task run in the storage does: enables it. */
function enableStorage(): void {
  storage!.run({}, () => {});
}

describe.runIf(storageCostsEveryPromise && typeof storage?.enabled === 'boolean')(
  'the task storage while a map runs',
  () => {
    it('is held from the first next() until the map ends, then disabled', async () => {
      const core = coreOver(instant, { concurrency: 2 });
      const iterator = core.map('t', [1, 2, 3]);
      expect(await iterator.next()).toEqual({ done: false, value: 1 });
      enableStorage();
      // Every task has run: only the map, not yet consumed, holds the storage.
      expect(await iterator.next()).toEqual({ done: false, value: 2 });
      expect(storage!.enabled).toBe(true);
      expect(await iterator.next()).toEqual({ done: false, value: 3 });
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
      expect(storage!.enabled).toBe(false);
    });

    it('is let go of once when a map is left, before or after it started', async () => {
      const core = coreOver(instant, { concurrency: 2 });
      await core.map('t', [1, 2]).return?.();
      const started = core.map('t', [1, 2]);
      await started.next();
      await started.return?.();
      await started.return?.();
      const iterator = core.map('t', [1, 2]);
      await iterator.next();
      enableStorage();
      await iterator.return?.();
      expect(storage!.enabled).toBe(false);
    });
  },
);
