/** Examples of the caller's async context (guarantee 7). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import type { ConformanceSubject, Make } from '../subject.js';

/** The suite's storage, where an in-process task (contextProbe) finds it. */
const storageKey = Symbol.for('forkroad.conformance.context');

function installStorage(): AsyncLocalStorage<string> {
  const holder = globalThis as { [storageKey]?: AsyncLocalStorage<string> };
  holder[storageKey] ??= new AsyncLocalStorage<string>();
  return holder[storageKey];
}

/** A task's view of the store: its submitter's, or 'elsewhere' when it ran in another thread or process. */
function expectSeen(seen: unknown, submitter: string): void {
  if (seen !== 'elsewhere') expect(seen).toBe(submitter);
}

export function describeContextExamples(make: Make, _subject: ConformanceSubject): void {
  describe("the caller's async context", () => {
    it("guarantee 7: every submitted task runs in its submitter's context, started at once or after queueing", async () => {
      const storage = installStorage();
      await using pool = make({ concurrency: 2 });
      const submitters = Array.from({ length: 40 }, (_, i) => `request ${i}`);
      const outcomes = await Promise.all(
        submitters.map((id) =>
          storage.run(id, () =>
            pool.submit('contextProbe', []).then((seen) => ({ id, seen, afterwards: storage.getStore() })),
          ),
        ),
      );
      for (const { id, seen, afterwards } of outcomes) {
        expectSeen(seen, id);
        expect(afterwards).toBe(id);
      }
    });

    it("guarantee 7: every task of a map runs in the context of the map's caller", async () => {
      const storage = installStorage();
      await using pool = make({ concurrency: 2 });
      // Other work in other contexts keeps the pool busy, so that map's tasks wait in the queue.
      const others = Array.from({ length: 6 }, (_, i) =>
        storage.run(`other ${i}`, () => pool.submit('contextProbe', [])),
      );
      const seen = await storage.run('the mapper', async () => {
        const results: unknown[] = [];
        for await (const result of pool.map('contextProbe', new Array(12).fill(undefined), {
          concurrency: 2,
        })) {
          results.push(result);
          expect(storage.getStore()).toBe('the mapper');
        }
        return results;
      });
      expect(seen).toHaveLength(12);
      for (const one of seen) expectSeen(one, 'the mapper');
      await Promise.all(others);
    });
  });
}
