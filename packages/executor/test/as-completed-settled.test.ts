import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { asCompleted, type SettledOutcome } from '../src/index.js';

/** A promise per plan entry that settles after `ms`, fulfilled with its index or rejected. */
function schedule(plan: readonly { ms: number; fail: boolean }[]) {
  const settledOrder: number[] = [];
  const promises = plan.map(
    ({ ms, fail }, i) =>
      new Promise<number>((resolve, reject) =>
        setTimeout(() => {
          settledOrder.push(i);
          if (fail) reject(new Error(`input ${i} failed`));
          else resolve(i);
        }, ms),
      ),
  );
  return { promises, settledOrder };
}

describe('asCompleted(promises, { settled: true })', () => {
  it('property: yields every outcome once, failures included, in settling order, each with its input index', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ms: fc.nat({ max: 20 }), fail: fc.boolean() }), { maxLength: 12 }),
        async (plan) => {
          const { promises, settledOrder } = schedule(plan);
          const outcomes: SettledOutcome<number>[] = [];
          for await (const outcome of asCompleted(promises, { settled: true })) outcomes.push(outcome);
          expect(outcomes.map((o) => o.index)).toEqual(settledOrder);
          for (const outcome of outcomes) {
            if (plan[outcome.index]!.fail) {
              expect(outcome).toEqual({
                status: 'rejected',
                reason: new Error(`input ${outcome.index} failed`),
                index: outcome.index,
              });
            } else {
              expect(outcome).toEqual({ status: 'fulfilled', value: outcome.index, index: outcome.index });
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("handles each failure and carries on, as Python's as_completed loop does", async () => {
    const urls = ['https://a.example', 'https://b.example', 'https://c.example'];
    const fetchPage = (url: string, ms: number) =>
      new Promise<string>((resolve, reject) =>
        setTimeout(() => (url.includes('b.') ? reject(new Error('503')) : resolve(`<html>${url}`)), ms),
      );
    const log: string[] = [];
    for await (const outcome of asCompleted(
      urls.map((url, i) => fetchPage(url, 30 - i * 10)),
      { settled: true },
    )) {
      const url = urls[outcome.index];
      if (outcome.status === 'fulfilled') log.push(`${url} ${outcome.value.length}`);
      else log.push(`${url} failed: ${(outcome.reason as Error).message}`);
    }
    expect(log).toEqual(['https://c.example 23', 'https://b.example failed: 503', 'https://a.example 23']);
  });

  it('accepts plain values, and leaving early leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const outcome of asCompleted([7, Promise.reject(new Error('later'))], { settled: true })) {
        expect(outcome).toEqual({ status: 'fulfilled', value: 7, index: 0 });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('types: outcomes with settled: true, values without', () => {
    const promises = [Promise.resolve(1), Promise.resolve(2)];
    expectTypeOf(asCompleted(promises, { settled: true })).toEqualTypeOf<
      AsyncGenerator<SettledOutcome<number>, void, undefined>
    >();
    expectTypeOf(asCompleted(promises)).toEqualTypeOf<AsyncGenerator<number, void, undefined>>();
    expectTypeOf(asCompleted(promises, { settled: false })).toEqualTypeOf<
      AsyncGenerator<number, void, undefined>
    >();
  });
});
