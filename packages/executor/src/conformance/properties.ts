/**
 * The property tests (fast-check): random programs checked against the model, the concurrency
 * bound from the tasks' own timestamps, map's order and laziness.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxOverlap, sleep } from './helpers.js';
import { program, runProgram } from './model.js';
import type { ConformanceSubject, Make } from './subject.js';

export function describeProperties(make: Make, subject: ConformanceSubject): void {
  const numRuns = subject.numRuns ?? 25;
  describe('properties', () => {
    it('guarantees 1 and 3: in random programs every task settles exactly once, as the model allows; stats add up', async () => {
      await fc.assert(
        fc.asyncProperty(program, (p) => runProgram(subject, p)),
        { numRuns },
      );
    });

    it('guarantee 2: never more than `concurrency` tasks run at once', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 14 }),
          fc.boolean(),
          async (concurrency, durations, viaMap) => {
            await using pool = make({ concurrency });
            let peakRunning = 0;
            const sampler = setInterval(() => {
              peakRunning = Math.max(peakRunning, pool.stats().running);
            }, 1);
            try {
              let intervals: [number, number][];
              if (viaMap) {
                intervals = [];
                for await (const interval of pool.map('probe', durations, { ordered: false }))
                  intervals.push(interval);
              } else {
                intervals = await Promise.all(durations.map((ms) => pool.submit('probe', [ms])));
              }
              expect(maxOverlap(intervals)).toBeLessThanOrEqual(concurrency);
              expect(peakRunning).toBeLessThanOrEqual(concurrency);
            } finally {
              clearInterval(sampler);
            }
          },
        ),
        { numRuns },
      );
    });

    it('guarantee 3: map keeps input order, or yields every result once in completion order', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer()), { maxLength: 20 }),
          fc.boolean(),
          fc.constantFrom(1, 2, 5, 'auto' as const),
          fc.integer({ min: 1, max: 4 }),
          async (inputs, ordered, chunkSize, concurrency) => {
            await using pool = make({ concurrency: 2 });
            const results: number[] = [];
            for await (const r of pool.map('slowAddOne', inputs, { ordered, chunkSize, concurrency }))
              results.push(r);
            const expected = inputs.map(([, v]) => v + 1);
            if (ordered) expect(results).toEqual(expected);
            else expect([...results].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
          },
        ),
        { numRuns },
      );
    });

    it('guarantee 3: map is lazy: it pulls no more than the in-flight limit plus a window ahead of the consumer', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 4 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 30 }),
          async (concurrency, chunkSize, ordered, take) => {
            await using pool = make({ concurrency: 2 });
            let pulled = 0;
            let closed = false;
            function* endless() {
              try {
                for (;;) {
                  pulled++;
                  yield pulled;
                }
              } finally {
                closed = true;
              }
            }
            let consumed = 0;
            expect(pulled).toBe(0);
            for await (const _ of pool.map('addOne', endless(), { concurrency, chunkSize, ordered })) {
              consumed++;
              expect(pulled - consumed).toBeLessThanOrEqual(2 * concurrency * chunkSize);
              if (consumed % 3 === 0) await sleep(1);
              if (consumed === take) break;
            }
            expect(closed).toBe(true);
          },
        ),
        { numRuns },
      );
    });
  });
}
