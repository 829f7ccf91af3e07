/**
 * What only the event-loop backend promises, beyond the conformance suite: it takes the imported
 * module object as well as a URL, and `taskSignal()` follows the rule its docs give — in a task's
 * synchronous part, and with `taskSignalAfterAwait: true` anywhere in an `async function`.
 */
import { executionAsyncId } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { conformanceTasksUrl } from '@forkroad/executor/conformance';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createExecutor, taskSignal } from '../src/index.js';

describe('@forkroad/async: the task module as an object', () => {
  it('the imported module object and its URL run the same tasks with the same results', async () => {
    const url = conformanceTasksUrl;
    const namespace = (await import(url.href)) as Record<string, (...args: any[]) => unknown>;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -1000, max: 1000 })), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        async (inputs, concurrency, ordered) => {
          const results: number[][] = [];
          for (const module of [url, namespace, { ...namespace }]) {
            const pool = createExecutor(module, { concurrency });
            try {
              const out: number[] = [];
              for await (const value of pool.map('slowAddOne', inputs, { ordered }))
                out.push(value as number);
              results.push(ordered ? out : out.sort((a, b) => a - b));
            } finally {
              await pool.shutdown();
            }
          }
          const expected = inputs.map(([, value]) => value + 1);
          expect(results[0]).toEqual(ordered ? expected : [...expected].sort((a, b) => a - b));
          expect(results[1]).toEqual(results[0]);
          expect(results[2]).toEqual(results[0]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a module object that lacks the task, or exports something else under its name, gets a clear error', async () => {
    const pool = createExecutor({ double: (x: number) => 2 * x, answer: 42 } as Record<string, unknown>, {
      concurrency: 1,
    });
    try {
      await expect(pool.submit('triple' as never, [] as never)).rejects.toThrow(
        /unknown task 'triple'.*double/,
      );
      await expect(pool.submit('answer' as never, [] as never)).rejects.toThrow(/'answer' is not a function/);
      expect(await pool.submit('double' as never, [21] as never)).toBe(42);
    } finally {
      await pool.shutdown();
    }
  });
});

/** What one task saw of its own signal. */
interface Seen {
  atStart: AbortSignal;
  /** After each await (async functions only): whether taskSignal() was still the same object. */
  sameAfterAwaits: boolean;
}

describe('@forkroad/async: taskSignal() in plain and async functions', () => {
  it('each task sees its own signal — across awaits in an async function, in the synchronous part of a plain one — and it fires exactly for the tasks that were aborted', async () => {
    const taskSpec = fc.record({
      kind: fc.constantFrom('async', 'plain'),
      /** The task's waits, in ms: an async task awaits each; a plain one waits their sum. */
      waits: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }),
      /** When the caller aborts this task, in ms after submitting; null: never. */
      abortAfter: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(taskSpec, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        async (specs, concurrency) => {
          const seen = new Map<number, Seen>();
          const module = {
            async asyncTask(id: number, waits: number[]): Promise<number> {
              const atStart = taskSignal();
              const record: Seen = { atStart, sameAfterAwaits: true };
              seen.set(id, record);
              for (const ms of waits) {
                await sleep(ms);
                if (taskSignal() !== atStart) record.sameAfterAwaits = false;
              }
              return id;
            },
            plainTask(id: number, waits: number[]): Promise<number> {
              seen.set(id, { atStart: taskSignal(), sameAfterAwaits: true });
              return sleep(
                waits.reduce((a, b) => a + b, 0),
                id,
              );
            },
          };
          const pool = createExecutor(module, { concurrency, taskSignalAfterAwait: true });
          const reasons = specs.map((_, id) => new Error(`abort ${id}`));
          const outcomes = specs.map((spec, id) => {
            const controller = new AbortController();
            if (spec.abortAfter !== null) setTimeout(() => controller.abort(reasons[id]), spec.abortAfter);
            const name = spec.kind === 'async' ? 'asyncTask' : 'plainTask';
            return pool.submit(name, [id, spec.waits], { signal: controller.signal }).then(
              (value) => ({ ok: true, value }),
              (error: unknown) => ({ ok: false, value: error }),
            );
          });
          const settled = await Promise.all(outcomes);
          // Shutdown waits for every task to really stop: an aborted task keeps running (these ignore
          // their signal), but may only ever have seen its own signal.
          await pool.shutdown();

          const signals = new Set<AbortSignal>();
          for (const [id, spec] of specs.entries()) {
            const outcome = settled[id]!;
            const record = seen.get(id);
            if (record === undefined) {
              // Aborted while queued: it never ran.
              expect(outcome).toEqual({ ok: false, value: reasons[id] });
              continue;
            }
            expect(record.sameAfterAwaits).toBe(true);
            signals.add(record.atStart);
            if (outcome.ok) {
              expect(outcome.value).toBe(id);
              // Answered before any abort: its signal may only have fired if an abort came later.
              if (spec.abortAfter === null) expect(record.atStart.aborted).toBe(false);
            } else {
              expect(outcome.value).toBe(reasons[id]);
              expect(record.atStart.aborted).toBe(true);
              expect(record.atStart.reason).toBe(reasons[id]);
            }
          }
          // No two tasks shared a signal.
          expect(signals.size).toBe(seen.size);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a plain function's callbacks do not see a signal that another task's abort fires", async () => {
    const observed: AbortSignal[] = [];
    const module = {
      /** Reads taskSignal() only in a callback: outside its synchronous part, as the docs say not to. */
      lateReader(ms: number): Promise<void> {
        return new Promise((resolve) =>
          setTimeout(() => {
            observed.push(taskSignal());
            resolve();
          }, ms),
        );
      },
      async victim(): Promise<void> {
        await sleep(5);
        await sleep(60_000, undefined, { signal: taskSignal() }).catch(() => {});
      },
    };
    const pool = createExecutor(module, { concurrency: 4, taskSignalAfterAwait: true });
    const controller = new AbortController();
    const victim = pool.submit('victim', [], { signal: controller.signal });
    const readers = [pool.submit('lateReader', [30]), pool.submit('lateReader', [40])];
    setTimeout(() => controller.abort(new Error('only the victim')), 10);
    await expect(victim).rejects.toThrow('only the victim');
    await Promise.all(readers);
    await pool.shutdown();
    expect(observed).toHaveLength(2);
    for (const signal of observed) expect(signal.aborted).toBe(false);
  });

  it('a task submitted from inside an async task does not leak that task’s signal to later plain tasks', async () => {
    let pool: ReturnType<typeof createExecutor<typeof module>>;
    const module = {
      /** Submits more work after an await: the core's callbacks then run in this task's context. */
      async parent(): Promise<void> {
        await sleep(1);
        void pool.submit('hold', [30]);
        await sleep(60_000, undefined, { signal: taskSignal() });
      },
      hold(ms: number): Promise<void> {
        return sleep(ms);
      },
      /** Reads taskSignal() in a callback, where a plain function has no context of its own. */
      plainChild(): Promise<boolean> {
        return new Promise((resolve) =>
          setTimeout(() => {
            const signal = taskSignal();
            setTimeout(() => resolve(signal.aborted), 100);
          }, 10),
        );
      },
    };
    pool = createExecutor(module, { concurrency: 2, taskSignalAfterAwait: true });
    const controller = new AbortController();
    const parent = pool.submit('parent', [], { signal: controller.signal });
    await sleep(5);
    const child = pool.submit('plainChild', []);
    setTimeout(() => controller.abort(new Error('parent only')), 60);
    await expect(parent).rejects.toThrow('parent only');
    expect(await child).toBe(false);
    await pool.shutdown();
  });
});

describe('@forkroad/async: taskSignalAfterAwait', () => {
  it("false (the default): taskSignal() is the task's in its synchronous part only; true: after its awaits too", async () => {
    const seen: [boolean, boolean][] = [];
    const recording = {
      async task(): Promise<void> {
        const before = taskSignal();
        await sleep(30);
        seen.push([before.aborted, taskSignal().aborted]);
      },
    };
    {
      await using pool = createExecutor(recording, { concurrency: 1 });
      await expect(pool.submit('task', [], { timeout: 10 })).rejects.toThrow(/timed out/);
    }
    {
      await using pool = createExecutor(recording, { concurrency: 1, taskSignalAfterAwait: true });
      await expect(pool.submit('task', [], { timeout: 10 })).rejects.toThrow(/timed out/);
    }
    // Without it, after the await taskSignal() is a signal that never fires; with it, the task's.
    expect(seen).toEqual([
      [true, false],
      [true, true],
    ]);
  });

  it('must be a boolean', () => {
    expect(() => createExecutor({}, { taskSignalAfterAwait: 'yes' as never })).toThrow(/boolean/);
  });
});

describe('@forkroad/async: the application pays nothing once the tasks are done', () => {
  it('promise hooks are off again after async-function tasks ran with taskSignal() across awaits', async () => {
    // In a promise callback, executionAsyncId() is 0 unless promise hooks are on (which an enabled
    // AsyncLocalStorage does on Node 20 and 22): a public view of the cost every promise pays.
    const hooksOn = async () => (await Promise.resolve().then(() => executionAsyncId())) !== 0;
    expect(await hooksOn()).toBe(false);
    const tasks = {
      async pause(): Promise<boolean> {
        await sleep(1);
        return taskSignal().aborted;
      },
    };
    await using pool = createExecutor(tasks, { concurrency: 10, taskSignalAfterAwait: true });
    await Promise.all(Array.from({ length: 100 }, () => pool.submit('pause', [])));
    expect(await hooksOn()).toBe(false);
  });

  it('promise hooks are off again after a map of async-function tasks ends, or is left early', async () => {
    const hooksOn = async () => (await Promise.resolve().then(() => executionAsyncId())) !== 0;
    const tasks = {
      async double(x: number): Promise<number> {
        await Promise.resolve();
        return taskSignal().aborted ? -1 : 2 * x;
      },
    };
    await using pool = createExecutor(tasks, { concurrency: 4, taskSignalAfterAwait: true });
    const results: number[] = [];
    for await (const result of pool.map('double', [1, 2, 3, 4, 5, 6, 7, 8])) results.push(result);
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(await hooksOn()).toBe(false);
    for await (const result of pool.map('double', [1, 2, 3, 4, 5, 6, 7, 8])) if (result === 4) break;
    await pool.shutdown();
    expect(await hooksOn()).toBe(false);
  });
});
