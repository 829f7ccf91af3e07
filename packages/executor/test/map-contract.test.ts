/**
 * `map` over the core, step by step: how many calls it keeps in flight, what it pulls and when,
 * what it launches after it ended, what it leaves behind (listeners, results), and how it batches.
 */
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend, BatchCall, BatchResult } from '../src/index.js';
import { CancelledError, TimeoutError } from '../src/index.js';
import { coreOver, FakeBackend, outcome, settleCallbacks } from './fake-backend.js';

/** A backend that answers at once: the input times ten, or throws for 'boom'. */
const instant: Backend = {
  run: (call) => {
    if (call.args[0] === 'boom') throw new Error('boom');
    return (call.args[0] as number) * 10;
  },
  close: async () => {},
};

/** An async input the test feeds by hand, one pending pull at a time. */
function handFedInput() {
  const pulls: ((step: IteratorResult<number>) => void)[] = [];
  /** For each pull, what makes it reject (the input failing). */
  const breaks: ((error: unknown) => void)[] = [];
  let closed = 0;
  const input: AsyncIterable<number> = {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise<IteratorResult<number>>((resolve, reject) => {
          pulls.push(resolve);
          breaks.push(reject);
        }),
      return: async () => {
        closed++;
        return { done: true, value: undefined };
      },
    }),
  };
  return {
    input,
    pulls,
    breaks,
    get closed() {
      return closed;
    },
  };
}

async function* asyncRange(n: number) {
  for (let i = 1; i <= n; i++) yield i;
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterator) out.push(value);
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('map over the core', () => {
  it("keeps exactly its own concurrency in flight, below the pool's", async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 4 });
    const iterator = core.map('t', [1, 2, 3, 4, 5, 6, 7, 8], { concurrency: 2 });
    const first = iterator.next();
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [2]]);
    backend.handed[0]!.resolve('a');
    expect(await first).toEqual({ done: false, value: 'a' });
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [2], [3]]);
    // Nobody consumes: it pulls until two windows of results wait, then stops.
    for (let i = 1; i < 6; i++) {
      for (const task of backend.handed) task.resolve(`r${i}`);
      await settleCallbacks();
    }
    expect(backend.handed).toHaveLength(5);
    expect(core.stats()).toMatchObject({ running: 0, completed: 5 });
    await iterator.return?.();
  });

  it('runs an async input in batches (chunkSize > 1) and yields every result in order', async () => {
    const core = coreOver(instant, { concurrency: 2 });
    expect(await collect(core.map('t', asyncRange(7), { chunkSize: 3 }))).toEqual([
      10, 20, 30, 40, 50, 60, 70,
    ]);
    expect(await collect(core.map('t', asyncRange(7), { chunkSize: 3, ordered: false }))).toHaveLength(7);
    expect(await collect(core.map('t', asyncRange(1), { chunkSize: 3 }))).toEqual([10]);
    expect(await collect(core.map('t', [1, 2, 3, 4, 5], { chunkSize: 2 }))).toEqual([10, 20, 30, 40, 50]);
    expect(core.stats()).toMatchObject({ completed: 20, running: 0, queued: 0 });
  });

  it("hands a backend's runBatch whole batches of chunkSize inputs", async () => {
    const batches: unknown[][] = [];
    const core = coreOver(
      {
        ...instant,
        runBatch: async (call: BatchCall): Promise<BatchResult> => {
          batches.push(call.inputs);
          return { results: call.inputs.map((n) => (n as number) + 1) };
        },
      },
      { concurrency: 2 },
    );
    expect(await collect(core.map('t', asyncRange(5), { chunkSize: 2 }))).toEqual([2, 3, 4, 5, 6]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('return() during a pending pull launches nothing of what that pull brings, and closes the input', async () => {
    for (const options of [{ ordered: false }, { ordered: true, chunkSize: 2 }]) {
      const backend = new FakeBackend();
      const core = coreOver(backend, { concurrency: 2 });
      const source = handFedInput();
      const iterator = core.map('t', source.input, options);
      const pending = iterator.next();
      await settleCallbacks();
      expect(source.pulls).toHaveLength(1);
      expect(await iterator.return?.()).toEqual({ done: true, value: undefined });
      expect(await pending).toEqual({ done: true, value: undefined });
      source.pulls[0]!({ done: false, value: 1 });
      await settleCallbacks();
      expect(backend.handed).toHaveLength(0);
      expect(source.pulls).toHaveLength(1);
      expect(source.closed).toBe(1);
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    }
  });

  it('a failure while a pull is pending ends the map; what that pull brings is not launched', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const source = handFedInput();
    const iterator = core.map('t', source.input, { concurrency: 1 });
    const first = outcome(iterator.next());
    await settleCallbacks();
    source.pulls[0]!({ done: false, value: 1 });
    await settleCallbacks();
    expect(backend.args).toEqual([[1]]);
    backend.handed[0]!.reject(new Error('first failed'));
    await settleCallbacks();
    expect((first.error as Error).message).toBe('first failed');
    source.pulls[1]?.({ done: false, value: 2 });
    await settleCallbacks();
    expect(backend.args).toEqual([[1]]);
    expect(source.closed).toBe(1);
  });

  it('ordered: what a pull brings after a failure is not launched, while results ahead are awaited', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const source = handFedInput();
    const iterator = core.map('t', source.input, { concurrency: 3 });
    const first = outcome(iterator.next());
    await settleCallbacks();
    source.pulls[0]!({ done: false, value: 1 });
    await settleCallbacks();
    source.pulls[1]!({ done: false, value: 2 });
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [2]]);
    backend.handed[1]!.reject(new Error('second failed'));
    await settleCallbacks();
    // The first is still running: the failure waits for it. The pull under way brings a third.
    source.pulls[2]?.({ done: false, value: 3 });
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [2]]);
    backend.handed[0]!.resolve('one');
    await settleCallbacks();
    expect(first.value).toEqual({ done: false, value: 'one' });
    await expect(iterator.next()).rejects.toThrow('second failed');
  });

  it('cancels its running tasks when it fails or is left early, and says why', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 3 });
    const iterator = core.map('t', [1, 2, 3]);
    const first = outcome(iterator.next());
    await settleCallbacks();
    const heard: unknown[] = [];
    backend.handed[1]!.task.onAbort((reason) => heard.push(reason));
    backend.handed[0]!.reject(new Error('first failed'));
    await settleCallbacks();
    expect((first.error as Error).message).toBe('first failed');
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBeInstanceOf(CancelledError);
    expect((heard[0] as Error).message).toBe('map stopped: another of its tasks failed');
    expect(core.stats()).toMatchObject({ failed: 1, cancelled: 2, running: 2 });

    const left = core.map('t', [4]);
    const pending = left.next();
    await settleCallbacks();
    const reasons: unknown[] = [];
    backend.handed[3]!.task.onAbort((reason) => reasons.push(reason));
    await left.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect((reasons[0] as Error).message).toBe('map iteration ended early');
  });

  it('ordered: a failure waits for the results ahead of it, cancels those after it, then is thrown', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 4 });
    const iterator = core.map('t', [1, 2, 3, 4, 5, 6]);
    const first = outcome(iterator.next());
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [2], [3], [4]]);
    const heard = backend.handed.map(() => [] as unknown[]);
    for (const [i, h] of backend.handed.entries()) h.task.onAbort((reason) => heard[i]!.push(reason));
    const third = new Error('third failed');
    backend.handed[2]!.reject(third);
    await settleCallbacks();
    // Nothing more is pulled; the fourth is cancelled; the first two go on.
    expect(backend.args).toHaveLength(4);
    expect(heard.map((h) => h.length)).toEqual([0, 0, 0, 1]);
    expect(first.settled).toBe(false);
    // An earlier failure that comes later wins: it is the one thrown, after the first result.
    const second = new Error('second failed');
    backend.handed[1]!.reject(second);
    backend.handed[0]!.resolve('one');
    backend.handed[3]!.resolve('stopped');
    await settleCallbacks();
    expect(first.value).toEqual({ done: false, value: 'one' });
    await expect(iterator.next()).rejects.toBe(second);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 1, failed: 2, cancelled: 1 });
  });

  it('ordered with batches: the results of a failing batch ahead of its failure come first', async () => {
    const core = coreOver(
      {
        run: (call) => {
          if (call.args[0] === 5) throw new Error('five failed');
          return call.args[0];
        },
        close: async () => {},
      },
      { concurrency: 2 },
      true,
    );
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const value of core.map('t', [1, 2, 3, 4, 5, 6, 7], { chunkSize: 3 })) seen.push(value);
      })(),
    ).rejects.toThrow('five failed');
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('a failing batch counts its inputs: those done, the failed one, the ones it never ran', async () => {
    const core = coreOver(
      {
        run: (call) => {
          if (call.args[0] === 2) throw new Error('two failed');
          return call.args[0];
        },
        close: async () => {},
      },
      { concurrency: 1 },
      true,
    );
    await expect(collect(core.map('t', [1, 2, 3, 4], { chunkSize: 4 }))).rejects.toThrow('two failed');
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 1, failed: 1, cancelled: 2 });
  });

  it('unordered: the results that came before a failure are yielded, then it is thrown', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 3 });
    const iterator = core.map('t', [1, 2, 3, 4], { ordered: false });
    const first = outcome(iterator.next());
    await settleCallbacks();
    const heard: unknown[] = [];
    backend.handed[2]!.task.onAbort((reason) => heard.push(reason));
    backend.handed[1]!.resolve('two');
    await settleCallbacks();
    expect(first.value).toEqual({ done: false, value: 'two' });
    // The fourth input is launched in the place the second freed.
    expect(backend.args).toEqual([[1], [2], [3], [4]]);
    backend.handed[3]!.resolve('four');
    const failed = new Error('first failed');
    backend.handed[0]!.reject(failed);
    await settleCallbacks();
    expect(heard).toHaveLength(1);
    expect(await iterator.next()).toEqual({ done: false, value: 'four' });
    await expect(iterator.next()).rejects.toBe(failed);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    backend.handed[2]!.resolve('late');
    await settleCallbacks();
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 2, failed: 1, cancelled: 1 });
  });

  it('a failure answers every next() waiting: the first with the error, the rest with the end', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const iterator = core.map('t', [1, 2], { ordered: false });
    const waiting = [outcome(iterator.next()), outcome(iterator.next())];
    await settleCallbacks();
    const heard: unknown[] = [];
    backend.handed[1]!.task.onAbort((reason) => heard.push(reason));
    const failed = new Error('first failed');
    backend.handed[0]!.reject(failed);
    await settleCallbacks();
    expect(waiting[0]!.error).toBe(failed);
    expect(waiting[1]!.value).toEqual({ done: true, value: undefined });
    expect((heard[0] as Error).message).toBe('map stopped: another of its tasks failed');
  });

  it('takes a thenable a task returns as the promise it stands for', async () => {
    const thenableFunction = Object.assign(() => 'not this', {
      // biome-ignore lint/suspicious/noThenProperty: the point of the test
      then: (resolve: (value: unknown) => void) => resolve('from a thenable function'),
    });
    const core = coreOver({ run: () => thenableFunction, close: async () => {} });
    expect(await collect(core.map('t', [1]))).toEqual(['from a thenable function']);
  });

  it('leaves no abort listener on the caller’s signal, however it ends', async () => {
    const ends: Record<string, (signal: AbortSignal) => Promise<unknown>> = {
      completes: (signal) => collect(coreOver(instant, { concurrency: 2 }).map('t', [1, 2, 3], { signal })),
      fails: (signal) =>
        collect(coreOver(instant, { concurrency: 2 }).map('t', [1, 'boom', 3], { signal })).catch(() => {}),
      'is left early': async (signal) => {
        for await (const _ of coreOver(instant).map('t', [1, 2, 3], { signal })) break;
      },
      'is empty': (signal) => collect(coreOver(instant).map('t', [], { signal })),
    };
    for (const [how, end] of Object.entries(ends)) {
      const controller = new AbortController();
      await end(controller.signal);
      expect(getEventListeners(controller.signal, 'abort'), how).toHaveLength(0);
    }
  });

  it("an abort of the caller's signal ends the map with its reason and cancels its tasks", async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const controller = new AbortController();
    const iterator = core.map('t', [1, 2, 3], { signal: controller.signal });
    const first = outcome(iterator.next());
    await settleCallbacks();
    const reasons: unknown[] = [];
    backend.handed[0]!.task.onAbort((reason) => reasons.push(reason));
    controller.abort('enough');
    await settleCallbacks();
    expect(first.error).toBe('enough');
    expect((reasons[0] as Error).message).toBe('map stopped: another of its tasks failed or it was aborted');
    expect(core.stats()).toMatchObject({ cancelled: 2 });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await expect(core.map('t', [1], { signal: controller.signal }).next()).rejects.toBe('enough');
  });

  it('an input that throws ends the map with that error, and its return() is called', async () => {
    const core = coreOver(instant, { concurrency: 2 });
    const broken = (at: number): Iterable<number> => ({
      [Symbol.iterator]: () => {
        let i = 0;
        return {
          next: () => {
            if (++i === at) throw new Error(`input ${at} broke`);
            return { done: false, value: i };
          },
        };
      },
    });
    await expect(collect(core.map('t', broken(3)))).rejects.toThrow('input 3 broke');
    await expect(collect(core.map('t', broken(3), { chunkSize: 2 }))).rejects.toThrow('input 3 broke');
    await expect(collect(core.map('t', broken(3), { ordered: false }))).rejects.toThrow('input 3 broke');
    const unopenable = {
      [Symbol.iterator]: () => {
        throw new Error('cannot open');
      },
    };
    await expect(collect(core.map('t', unopenable))).rejects.toThrow('cannot open');
    async function* failing() {
      yield 1;
      throw new Error('async input broke');
    }
    await expect(collect(core.map('t', failing()))).rejects.toThrow('async input broke');
    let closed = 0;
    const endless: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: () => ({ done: false, value: 1 }),
        return: () => {
          closed++;
          throw new Error('cleanup failed');
        },
      }),
    };
    for await (const _ of core.map('t', endless)) break;
    expect(closed).toBe(1);
  });

  it('an input whose cleanup rejects leaves no unhandled rejection when the map is left early', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const input: AsyncIterable<number> = {
        [Symbol.asyncIterator]: () => ({
          next: async () => ({ done: false, value: 1 }),
          return: () => Promise.reject(new Error('cleanup failed')),
        }),
      };
      for await (const _ of coreOver(instant).map('t', input)) break;
      await settleCallbacks();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('consumed results can be collected while a long map goes on', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (const [ordered, chunkSize] of [
      [true, 1],
      [true, 2],
      [false, 1],
      [false, 2],
    ] as const) {
      const core = coreOver(
        { run: (call) => ({ payload: call.args[0] }), close: async () => {} },
        { concurrency: 2 },
      );
      const iterator = core.map('t', endlessCount(), { ordered, chunkSize });
      let early: WeakRef<object> | undefined;
      for (let i = 0; i < 20; i++) {
        const { value } = await iterator.next();
        if (i === 0) early = new WeakRef(value as object);
      }
      await settleCallbacks();
      gc();
      expect(early!.deref(), `ordered: ${ordered}, chunkSize: ${chunkSize}`).toBeUndefined();
      await iterator.return?.();
    }
  });
});

function* endlessCount() {
  for (let i = 0; ; i++) yield i;
}

describe("map's batches", () => {
  /** A backend whose batches the test ends by hand, after moving the clock. */
  function batchingBackend() {
    const batches: { inputs: unknown[]; end(ms: number, durationMs: number): void }[] = [];
    const backend: Backend = {
      run: () => {
        throw new Error('map batches here');
      },
      runBatch: (call) =>
        new Promise<BatchResult>((resolve) => {
          batches.push({
            inputs: call.inputs,
            end(ms, durationMs) {
              vi.advanceTimersByTime(ms);
              resolve({ results: call.inputs, durationMs });
            },
          });
        }),
      close: async () => {},
    };
    return { backend, batches };
  }

  it("'auto' sizes batches so that a message's cost stays small beside the work", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    vi.advanceTimersByTime(1_000);
    const { backend, batches } = batchingBackend();
    const core = coreOver(backend, { concurrency: 1 }, true);
    const iterator = core.map('t', endlessCount(), { chunkSize: 'auto' });
    const consume = async (n: number) => {
      for (let i = 0; i < n; i++) await iterator.next();
    };
    const first = consume(1);
    await settleCallbacks();
    // Nothing measured yet: one input.
    expect(batches.map((b) => b.inputs.length)).toEqual([1]);
    // 1 ms of work per input, 1 ms of messaging: batches of 20 ms of work.
    batches[0]!.end(2, 1);
    await first;
    await settleCallbacks();
    expect(batches[1]!.inputs).toHaveLength(20);
    const next = consume(20);
    batches[1]!.end(25, 20);
    await next;
    await settleCallbacks();
    // Messaging cost now 0.7 × 1 + 0.3 × 5 = 2.2 ms: 44 inputs of 1 ms.
    expect(batches[2]!.inputs).toHaveLength(44);
    await iterator.return?.();
  });

  it("'auto' aims for at least a millisecond of work per batch, at most 1024 inputs; slow inputs go one by one", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    vi.advanceTimersByTime(1_000);
    for (const [perInputMs, expected] of [
      [0.25, 4],
      [0.4, 3],
      [0.3, 3],
      [5, 1],
      [0, 1024],
    ] as const) {
      const { backend, batches } = batchingBackend();
      const core = coreOver(backend, { concurrency: 1 }, true);
      const iterator = core.map('t', endlessCount(), { chunkSize: 'auto' });
      const first = iterator.next();
      await settleCallbacks();
      // No messaging cost: the round trip is the work itself.
      batches[0]!.end(0, perInputMs);
      await first;
      await settleCallbacks();
      expect(batches[1]!.inputs, `${perInputMs} ms per input`).toHaveLength(expected);
      await iterator.return?.();
    }
  });

  it("'auto' does not batch where calls cost no message, and a fixed chunkSize stays fixed", async () => {
    const { backend, batches } = batchingBackend();
    const calls: unknown[] = [];
    const core = coreOver({ ...backend, run: (call) => calls.push(call.args[0]) }, { concurrency: 1 }, false);
    expect(await collect(core.map('t', [1, 2, 3], { chunkSize: 'auto' }))).toEqual([1, 2, 3]);
    expect(calls).toEqual([1, 2, 3]);
    expect(batches).toHaveLength(0);
    // Where batches pay off, a chunkSize of 1 (the default) still sends single calls.
    const single = coreOver(
      { ...backend, run: (call) => calls.push(call.args[0]) },
      { concurrency: 1 },
      true,
    );
    expect(await collect(single.map('t', [4, 5]))).toEqual([4, 5]);
    expect(batches).toHaveLength(0);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const batchingCore = coreOver(backend, { concurrency: 1 }, true);
    const iterator = batchingCore.map('t', endlessCount(), { chunkSize: 3 });
    const first = iterator.next();
    await settleCallbacks();
    batches[0]!.end(5, 0.001);
    await first;
    await settleCallbacks();
    expect(batches.map((b) => b.inputs.length)).toEqual([3, 3]);
    await iterator.return?.();
  });

  it('a batch the core runs through run() stops at its first input after a cancel', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 }, true);
    const iterator = core.map('t', [1, 2, 3], { chunkSize: 3 });
    const first = iterator.next();
    await settleCallbacks();
    expect(backend.args).toEqual([[1]]);
    await iterator.return?.();
    backend.handed[0]!.resolve('one');
    await settleCallbacks();
    expect(await first).toEqual({ done: true, value: undefined });
    expect(backend.args).toEqual([[1]]);
    expect(core.stats()).toMatchObject({ running: 0, cancelled: 3 });
  });

  it("'auto' measures a batch the core runs through run() itself", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    vi.advanceTimersByTime(1_000);
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 }, true);
    const iterator = core.map('t', endlessCount(), { chunkSize: 'auto' });
    const first = iterator.next();
    await settleCallbacks();
    // One input that takes 0.25 ms, no messaging: batches of 1 ms, 4 inputs.
    vi.advanceTimersByTime(0.25);
    backend.handed[0]!.resolve('r');
    await first;
    await settleCallbacks();
    for (let i = 1; i <= 4; i++) {
      expect(backend.handed).toHaveLength(i + 1);
      expect(core.stats().completed).toBe(1);
      backend.handed[i]!.resolve('r');
      await settleCallbacks();
    }
    expect(backend.args.slice(1, 5)).toEqual([[1], [2], [3], [4]]);
    // The four ran as one batch: they count when it ends, all at once.
    expect(core.stats().completed).toBe(5);
    await iterator.return?.();
  });

  it("a batch's timeout is the map's timeout for each of its inputs", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { backend, batches } = batchingBackend();
    const core = coreOver(backend, { concurrency: 1 }, true);
    const iterator = core.map('t', [1, 2, 3], { chunkSize: 3, timeout: 100 });
    const first = outcome(iterator.next());
    await settleCallbacks();
    expect(batches[0]!.inputs).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(299);
    await settleCallbacks();
    expect(first.settled).toBe(false);
    vi.advanceTimersByTime(1);
    await settleCallbacks();
    expect(first.error).toBeInstanceOf(TimeoutError);
    expect((first.error as TimeoutError).timeout).toBe(300);
    expect(core.stats()).toMatchObject({ failed: 3 });
  });
});

describe('map over the core, at its edges', () => {
  it('return() while a batch is being pulled launches none of the inputs pulled for it', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const source = handFedInput();
    const iterator = core.map('t', source.input, { chunkSize: 3 });
    const pending = iterator.next();
    await settleCallbacks();
    source.pulls[0]!({ done: false, value: 1 });
    await settleCallbacks();
    expect(source.pulls).toHaveLength(2);
    await iterator.return?.();
    source.pulls[1]!({ done: false, value: 2 });
    await settleCallbacks();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(backend.handed).toHaveLength(0);
    expect(source.pulls).toHaveLength(2);
  });

  it('ordered: a batch failing while the next is half pulled launches none of it, and pulls no more', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 4 });
    const source = handFedInput();
    const iterator = core.map('t', source.input, { chunkSize: 3, concurrency: 3 });
    const first = outcome(iterator.next());
    for (const value of [1, 2, 3, 4, 5, 6, 7]) {
      await settleCallbacks();
      source.pulls.at(-1)!({ done: false, value });
    }
    await settleCallbacks();
    // Two batches run (through run(), input by input); the third has one input of three.
    expect(backend.args).toEqual([[1], [4]]);
    expect(source.pulls).toHaveLength(8);
    // The second batch fails while the first, whose results come before it, still runs.
    backend.handed[1]!.reject(new Error('second batch failed'));
    await settleCallbacks();
    source.pulls[7]!({ done: false, value: 8 });
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [4]]);
    expect(source.pulls).toHaveLength(8);
    expect(source.closed).toBe(1);
    for (const input of [1, 2, 3]) {
      backend.handed.find((task) => task.call.args[0] === input)!.resolve(input);
      await settleCallbacks();
    }
    expect(first.value).toEqual({ done: false, value: 1 });
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    expect(await iterator.next()).toEqual({ done: false, value: 3 });
    await expect(iterator.next()).rejects.toThrow('second batch failed');
  });

  it('asks the backend whether the task exists only when it launches nothing, and then once', async () => {
    class CheckingBackend extends FakeBackend {
      readonly checked: string[] = [];
      checkTask(name: string): void {
        this.checked.push(name);
      }
    }
    const backend = new CheckingBackend();
    const core = coreOver(backend, { concurrency: 3 });
    const empty = core.map('t', []);
    const done = { done: true, value: undefined };
    expect(await Promise.all([empty.next(), empty.next()])).toEqual([done, done]);
    expect(backend.checked).toEqual(['t']);
    // Launching says the name is good: a map that runs tasks never asks, whatever its input.
    const answer = async (iterator: AsyncIterator<unknown>) => {
      const results: unknown[] = [];
      for (;;) {
        const step = outcome(iterator.next());
        for (let round = 0; round < 10 && !step.settled; round++) {
          await settleCallbacks();
          for (const task of backend.handed) task.resolve(task.call.args[0]);
        }
        const { done, value } = step.value as IteratorResult<unknown>;
        if (done) return results;
        results.push(value);
      }
    };
    expect(await answer(core.map('t', [1, 2, 3]))).toEqual([1, 2, 3]);
    expect(await answer(core.map('t', asyncRange(3)))).toEqual([1, 2, 3]);
    expect(await answer(core.map('t', asyncRange(3), { chunkSize: 2 }))).toEqual([1, 2, 3]);
    expect(backend.checked).toEqual(['t']);
  });

  it('an abort ends the map at once, even with results waiting to be consumed', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 3 });
    const controller = new AbortController();
    const iterator = core.map('t', [1, 2, 3], { signal: controller.signal });
    const first = iterator.next();
    await settleCallbacks();
    for (const task of backend.handed) task.resolve(task.call.args[0]);
    expect(await first).toEqual({ done: false, value: 1 });
    controller.abort('enough');
    await expect(iterator.next()).rejects.toBe('enough');
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('an input failing after an abort does not replace the abort reason', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const source = handFedInput();
    const controller = new AbortController();
    const iterator = core.map('t', source.input, { signal: controller.signal });
    const first = iterator.next();
    await settleCallbacks();
    source.pulls[0]!({ done: false, value: 1 });
    await settleCallbacks();
    backend.handed[0]!.resolve('one');
    expect(await first).toEqual({ done: false, value: 'one' });
    // No next() is waiting when the abort comes: the reason waits for the next one.
    controller.abort('enough');
    source.breaks.at(-1)!(new Error('input broke'));
    await settleCallbacks();
    await expect(iterator.next()).rejects.toBe('enough');
  });

  it('pulls a synchronous input within next() itself', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const iterator = core.map('t', [1, 2, 3]);
    const first = iterator.next();
    expect(backend.args).toEqual([[1], [2]]);
    await iterator.return?.();
    expect(await first).toEqual({ done: true, value: undefined });
  });

  it('a backend that answers at once does not deepen the stack with each input', async () => {
    // The results of synchronous answers are launched by the loop already running, not by a call
    // nested in each answer: a window of many thousand inputs would overflow the stack.
    const core = coreOver(instant, { concurrency: 40_000 });
    const inputs = Array.from({ length: 80_000 }, (_, i) => i);
    const results = await collect(core.map('t', inputs));
    expect(results).toHaveLength(80_000);
    expect(results[79_999]).toBe(799_990);
  });
});
