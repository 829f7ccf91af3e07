/**
 * Random programs against the core over a hand-driven backend, staging or not: whatever the
 * order of submits, starts, settles, aborts and clock ticks, `running` never exceeds
 * `concurrency`, every caller is answered exactly once, and the stats add up.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coreOver, FakeBackend, settleCallbacks } from './fake-backend.js';

afterEach(() => {
  vi.useRealTimers();
});

const step = fc.oneof(
  fc.record({ kind: fc.constant('submit' as const), timeout: fc.option(fc.integer({ min: 1, max: 30 })) }),
  fc.record({ kind: fc.constant('start' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), ok: fc.boolean() }),
  fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3 }) }),
);

describe('the core under random programs', () => {
  it('property: running ≤ concurrency at every step; every caller answered once; the stats add up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(step, { minLength: 10, maxLength: 60 }),
        async (concurrency, stagingDepth, steps) => {
          vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
          try {
            const backend = new FakeBackend(stagingDepth);
            const core = coreOver(backend, { concurrency });
            const controllers: AbortController[] = [];
            const answers: number[] = [];
            const settled = new Set<number>();
            /** What the backend really runs: started (or handed, when it does not stage), not settled. */
            const started = new Set<number>();
            const check = () => {
              const stats = core.stats();
              expect(stats.running).toBeLessThanOrEqual(concurrency);
              const reallyRunning = open().filter((i) => stagingDepth === 0 || started.has(i)).length;
              expect(stats.running).toBe(Math.min(concurrency, reallyRunning));
              expect(stats.running + stats.queued).toBeLessThanOrEqual(controllers.length);
              const total = stats.completed + stats.failed + stats.cancelled;
              expect(total).toBe(answers.filter((n) => n > 0).length);
              expect(answers.every((n) => n <= 1)).toBe(true);
            };
            const open = () => backend.handed.map((_, i) => i).filter((i) => !settled.has(i));
            for (const s of steps) {
              if (s.kind === 'submit') {
                const controller = new AbortController();
                const index = controllers.push(controller) - 1;
                answers.push(0);
                const options =
                  s.timeout === null
                    ? { signal: controller.signal }
                    : { signal: controller.signal, timeout: s.timeout };
                core.submit('t', [index], options).then(
                  () => answers[index]!++,
                  () => answers[index]!++,
                );
              } else if (s.kind === 'start' || s.kind === 'settle') {
                const candidates = open();
                if (candidates.length === 0) continue;
                const i = candidates[s.pick % candidates.length]!;
                const handed = backend.handed[i]!;
                if (s.kind === 'start') {
                  started.add(i);
                  handed.task.started();
                } else {
                  settled.add(i);
                  if (s.ok) handed.resolve('ok');
                  else handed.reject(new Error('failed'));
                }
              } else if (s.kind === 'abort') {
                controllers[s.pick % Math.max(1, controllers.length)]?.abort('aborted');
              } else {
                vi.advanceTimersByTime(s.ms);
              }
              await settleCallbacks();
              check();
            }
            // Let everything run to its end.
            for (let guard = 0; open().length > 0; guard++) {
              expect(guard).toBeLessThan(1000);
              for (const i of open()) {
                started.add(i);
                backend.handed[i]!.task.started();
                settled.add(i);
                backend.handed[i]!.resolve('ok');
              }
              await settleCallbacks();
              check();
            }
            expect(answers.every((n) => n === 1)).toBe(true);
            expect(core.stats()).toMatchObject({ queued: 0, running: 0 });
            let closed = false;
            core.shutdown().then(() => {
              closed = true;
            });
            await settleCallbacks();
            expect(closed).toBe(true);
            expect(backend.closed).toBe(1);
          } finally {
            vi.useRealTimers();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
