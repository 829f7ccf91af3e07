/** Examples of map (guarantees 3 and 8): order, async input, failures, leaving early, aborts. */
import { describe, expect, it } from 'vitest';
import { maxOverlap, rejection, sleep, within } from '../helpers.js';
import type { ConformanceSubject, Make } from '../subject.js';

export function describeMapExamples(make: Make, _subject: ConformanceSubject): void {
  describe('map', () => {
    it('guarantee 3: yields in completion order with ordered: false', async () => {
      await using pool = make({ concurrency: 2 });
      const results: number[] = [];
      for await (const r of pool.map(
        'slowAddOne',
        [
          [300, 1],
          [10, 2],
        ] as [number, number][],
        { ordered: false },
      )) {
        results.push(r);
      }
      expect(results).toEqual([3, 2]);
    });

    it('guarantee 3: accepts an async iterable as input', async () => {
      await using pool = make({ concurrency: 2 });
      async function* numbers() {
        for (let i = 0; i < 10; i++) {
          await sleep(1);
          yield i;
        }
      }
      const results: number[] = [];
      for await (const r of pool.map('addOne', numbers())) results.push(r);
      expect(results).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('guarantee 3: the first failure ends the iteration with that error and cancels the rest', async () => {
      await using pool = make({ concurrency: 2 });
      async function* inputs() {
        yield 'fail';
        for (;;) yield 'hang';
      }
      const started = performance.now();
      const error = await rejection(
        (async () => {
          for await (const _ of pool.map('failOrHang', inputs())) {
            // never reached: the first input fails
          }
        })(),
      );
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('fail');
      await within(10_000, pool.shutdown(), 'shutdown after a failed map');
      expect(performance.now() - started).toBeLessThan(15_000);
    });

    it('guarantee 3: leaving a for-await early cancels the running tasks of that map', async () => {
      await using pool = make({ concurrency: 2 });
      const inputs = [1, 60_000, 60_000, 60_000];
      for await (const _ of pool.map('cooperative', inputs, { ordered: false })) break;
      // The cooperative tasks stop when their signal fires; shutdown then has nothing to wait for.
      await within(10_000, pool.shutdown(), 'shutdown after leaving a map early');
      const stats = pool.stats();
      expect(stats.running).toBe(0);
      expect(stats.cancelled).toBeGreaterThanOrEqual(1);
    });

    it("guarantee 3: aborting map's signal ends it with the signal's reason", async () => {
      await using pool = make({ concurrency: 2 });
      const controller = new AbortController();
      const reason = new Error('stop mapping');
      setTimeout(() => controller.abort(reason), 20);
      const error = await rejection(
        (async () => {
          for await (const _ of pool.map('cooperative', [60_000, 60_000, 60_000], {
            signal: controller.signal,
          })) {
            // no result comes before the abort
          }
        })(),
      );
      expect(error).toBe(reason);
    });
    it('guarantee 8: ordered map yields every result ahead of the failing input, then throws', async () => {
      await using pool = make({ concurrency: 3 });
      for (const chunkSize of [1, 2, 3]) {
        // Input 2 fails first; the inputs ahead of it finish later, and must still be yielded.
        const inputs: [number, number, number][] = [
          [300, 0, 2],
          [200, 1, 2],
          [10, 2, 2],
          [10, 3, 2],
          [10, 4, 2],
        ];
        const results: number[] = [];
        const error = await rejection(
          (async () => {
            for await (const r of pool.map('slowFailOn', inputs, { chunkSize })) results.push(r);
          })(),
        );
        expect(error.message, `chunkSize ${chunkSize}`).toBe('input 2 failed');
        expect(results, `chunkSize ${chunkSize}`).toEqual([1, 2]);
      }
      await pool.shutdown();
      const stats = pool.stats();
      expect(stats.running).toBe(0);
      expect(stats.queued).toBe(0);
    });

    it('guarantee 8: unordered map yields the results that arrived before the failure, then throws', async () => {
      await using pool = make({ concurrency: 3 });
      const inputs: [number, number, number][] = [
        [10, 0, 1],
        [150, 1, 1],
        [1_000, 2, 1],
      ];
      const results: number[] = [];
      const error = await rejection(
        (async () => {
          for await (const r of pool.map('slowFailOn', inputs, { ordered: false })) {
            results.push(r);
          }
        })(),
      );
      expect(error.message).toBe('input 1 failed');
      expect(results).toEqual([1]);
    });

    it('map: a task that fails at once makes the first next() throw, never yield a value', async () => {
      await using pool = make({ concurrency: 2 });
      await pool.ready();
      await pool.submit('echo', [0]); // the module is loaded: the next failure can be synchronous
      const iterator = pool.map('fail', ['at once', 'again']);
      const error = await rejection(iterator.next());
      expect(error.message).toBe('at once');
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });

    it('map: an unknown task name is a TypeError, even when there is no input', async () => {
      await using pool = make({ concurrency: 1 });
      for (const inputs of [[], [1]]) {
        const error = await rejection(pool.map('noSuchTask' as any, inputs).next());
        expect(error, `${inputs.length} input(s)`).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(/unknown task 'noSuchTask'/);
      }
      expect(await pool.map('addOne', []).next()).toEqual({ done: true, value: undefined });
    });

    it("map: chunkSize 'auto' sizes batches from task time, not from worker start-up", async () => {
      await using pool = make({ concurrency: 2 });
      // A fresh pool: its workers start with the first inputs. Each input takes 20 ms, far above any
      // messaging cost, so batches stay small and both places keep working to the end.
      const intervals: [number, number][] = [];
      for await (const interval of pool.map('probe', new Array(30).fill(20), { chunkSize: 'auto' }))
        intervals.push(interval);
      expect(maxOverlap(intervals.slice(10))).toBe(2);
    });
  });
}
