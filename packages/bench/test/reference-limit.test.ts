import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ReferenceLimit } from '../dist/reference-limit.js';

describe('the reference limit of the overhead-async race', () => {
  for (const keepContext of [true, false]) {
    it(`runs at most concurrency at once, in call order, and answers every call (keepContext ${keepContext})`, async () => {
      const limit = new ReferenceLimit(3, keepContext);
      const started: number[] = [];
      let running = 0;
      let most = 0;
      const task = async (i: number) => {
        started.push(i);
        most = Math.max(most, ++running);
        await sleep((i * 7) % 5);
        running--;
        if (i % 4 === 3) throw new Error(`task ${i}`);
        return i * 2;
      };
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => limit.run(task, [i])));
      expect(most).toBe(3);
      expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
      outcomes.forEach((outcome, i) => {
        if (i % 4 === 3) expect(outcome).toEqual({ status: 'rejected', reason: new Error(`task ${i}`) });
        else expect(outcome).toEqual({ status: 'fulfilled', value: i * 2 });
      });
    });
  }

  /** Request r's call, queued behind request 0's slow one, and the store each task saw. */
  async function storesSeen(keepContext: boolean): Promise<(string | undefined)[]> {
    const storage = new AsyncLocalStorage<string>();
    const limit = new ReferenceLimit(1, keepContext);
    const task = async (wait: number) => {
      const seen = storage.getStore();
      await sleep(wait);
      return seen;
    };
    const calls = ['request 0', 'request 1', 'request 2'].map((request, r) =>
      storage.run(request, () => limit.run(task, [r === 0 ? 20 : 0])),
    );
    return Promise.all(calls);
  }

  it('with keepContext, a queued call runs in its caller’s async context', async () => {
    expect(await storesSeen(true)).toEqual(['request 0', 'request 1', 'request 2']);
  });

  it('without it, a queued call runs in the context of the task that freed its place', async () => {
    expect(await storesSeen(false)).toEqual(['request 0', 'request 0', 'request 0']);
  });
});
