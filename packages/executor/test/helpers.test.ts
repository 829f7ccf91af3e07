import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxOverlap } from '../src/conformance/index.js';
import {
  asCompleted,
  resolveExecutorOptions,
  taskFunction,
  taskModuleUrl,
  taskSignal,
} from '../src/index.js';
import { runInTaskContext } from '../src/task-context.js';

describe('asCompleted', () => {
  it('property: yields every value once, in the order the promises settle', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 20 }), { maxLength: 12 }), async (delays) => {
        const settledOrder: number[] = [];
        const promises = delays.map(
          (ms, i) =>
            new Promise<number>((resolve) =>
              setTimeout(() => {
                settledOrder.push(i);
                resolve(i);
              }, ms),
            ),
        );
        const yielded: number[] = [];
        for await (const i of asCompleted(promises)) yielded.push(i);
        expect(yielded).toEqual(settledOrder);
      }),
      { numRuns: 30 },
    );
  });

  it('throws a rejection when it is reached, and accepts plain values', async () => {
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const v of asCompleted([
          1,
          Promise.reject(new Error('boom')),
          new Promise((r) => setTimeout(r, 50)),
        ])) {
          seen.push(v);
        }
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
  });

  it('takes values that settle while nobody waits, without an error of its own', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const later = new Promise<string>((resolve) => setImmediate(() => resolve('b')));
      const iterator = asCompleted([Promise.resolve('a'), later]);
      const values = [(await iterator.next()).value];
      // 'b' settles while the consumer is busy elsewhere.
      await later;
      await new Promise((resolve) => setImmediate(resolve));
      values.push((await iterator.next()).value);
      expect(values).toEqual(['a', 'b']);
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('taskSignal', () => {
  it('outside a task returns a signal that never fires', () => {
    expect(taskSignal().aborted).toBe(false);
  });

  it('inside a task returns that task’s signal, across awaits or only synchronously', async () => {
    const controller = new AbortController();
    const seen = await runInTaskContext({ signal: controller.signal }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return taskSignal();
    }, []);
    expect(seen).toBe(controller.signal);
    const syncOnly = runInTaskContext({ signal: controller.signal }, () => taskSignal(), [], false);
    expect(syncOnly).toBe(controller.signal);
    expect(taskSignal()).not.toBe(controller.signal);
  });
});

describe('taskModuleUrl', () => {
  it('accepts URLs, file URL strings and absolute paths; refuses the rest', () => {
    const url = pathToFileURL('/srv/tasks.js');
    expect(taskModuleUrl(url)).toBe(url.href);
    expect(taskModuleUrl(url.href)).toBe(url.href);
    expect(taskModuleUrl('/srv/tasks.js')).toBe(url.href);
    expect(() => taskModuleUrl('./tasks.js')).toThrow(/absolute path/);
    expect(() => taskModuleUrl(new URL('https://example.com/tasks.js'))).toThrow(/file: URL/);
    expect(() => taskModuleUrl(42)).toThrow(TypeError);
  });
});

describe('taskFunction', () => {
  it('names the exports when a task is unknown, and the type when it is not a function', () => {
    const tasks = { a() {}, b: () => 1, c: 3 };
    expect(taskFunction(tasks, 'a')).toBe(tasks.a);
    expect(() => taskFunction(tasks, 'nope')).toThrow("unknown task 'nope': the task module exports a, b");
    expect(() => taskFunction(tasks, 'c')).toThrow(
      "task 'c' is not a function: the task module exports it as number",
    );
    expect(() => taskFunction({ ...tasks }, 'toString')).toThrow(/unknown task/);
  });
});

describe('resolveExecutorOptions', () => {
  it('fills defaults and rejects bad values with the option named', () => {
    const resolved = resolveExecutorOptions(undefined, [], 'test');
    expect(resolved.concurrency).toBeGreaterThanOrEqual(1);
    expect(resolved.maxQueue).toBe(Infinity);
    expect(resolved.timeout).toBe(Infinity);
    expect(() => resolveExecutorOptions({ timeout: 0 }, [], 'test')).toThrow(
      /timeout must be a positive number/,
    );
    expect(() => resolveExecutorOptions({ concurrency: 2.5 }, [], 'test')).toThrow(/concurrency/);
    expect(() => resolveExecutorOptions({ extra: 1 } as object, ['extra'], 'test')).not.toThrow();
    expect(() => resolveExecutorOptions(5 as unknown as object, [], 'test')).toThrow(
      /options must be an object/,
    );
  });
});

describe('maxOverlap', () => {
  it('property: never more than the number of intervals, and exact for disjoint ones', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1000), fc.nat(100)), { maxLength: 30 }), (pairs) => {
        const intervals = pairs.map(([start, length]) => [start, start + length] as [number, number]);
        const peak = maxOverlap(intervals);
        expect(peak).toBeLessThanOrEqual(intervals.length);
        // Brute force: the overlap at each start instant.
        const brute = Math.max(
          0,
          ...intervals.map(([s]) => intervals.filter(([a, b]) => a <= s && s < b).length),
        );
        expect(peak).toBe(brute);
      }),
    );
  });
});
