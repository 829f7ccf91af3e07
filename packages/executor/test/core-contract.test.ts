/**
 * The core as a backend sees it: what it is handed and when, what it hears on abort and timeout,
 * how staging keeps `running` within `concurrency`, and what the stats say at each step. Driven
 * through a backend whose tasks the test settles by hand.
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, ExecutorClosedError, QueueFullError, TimeoutError } from '../src/index.js';
import { coreOver, FakeBackend, outcome, settleCallbacks } from './fake-backend.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Fake timers and a fake `performance.now()`, away from 0 so that a time is never mistaken for a duration. */
const fakeClock = () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  vi.advanceTimersByTime(1_000);
};

describe('ExecutorCore, as a backend sees it', () => {
  it('hands tasks over in FIFO order, never more than `concurrency` at once', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => outcome(core.submit('double', [n])));
    expect(backend.args).toEqual([[1], [2]]);
    expect(core.stats()).toEqual({ queued: 3, running: 2, completed: 0, failed: 0, cancelled: 0 });
    backend.handed[1]!.resolve('two');
    await settleCallbacks();
    expect(answers[1]!.value).toBe('two');
    expect(backend.args).toEqual([[1], [2], [3]]);
    backend.handed[0]!.reject(new Error('one failed'));
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [2], [3], [4]]);
    expect(core.stats()).toEqual({ queued: 1, running: 2, completed: 1, failed: 1, cancelled: 0 });
    for (const task of backend.handed.slice(2)) task.resolve('ok');
    await settleCallbacks();
    backend.handed[4]!.resolve('ok');
    await settleCallbacks();
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 4, failed: 1, cancelled: 0 });
    expect((answers[0]!.error as Error).message).toBe('one failed');
  });

  it('a backend that answers synchronously answers the caller, and the queue moves on', async () => {
    let calls = 0;
    const core = coreOver(
      {
        run: (call) => {
          calls++;
          if (call.args[0] === 'throw') throw new RangeError('sync failure');
          return call.args[0];
        },
        close: async () => {},
      },
      { concurrency: 1 },
    );
    const results = await Promise.allSettled([
      core.submit('t', ['a']),
      core.submit('t', ['throw']),
      core.submit('t', ['c']),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name))).toEqual([
      'a',
      'RangeError',
      'c',
    ]);
    expect(calls).toBe(3);
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 2, failed: 1, cancelled: 0 });
  });

  it('takes what run returns as the result unless it is a thenable, object or function', async () => {
    // A function with a `then` method is a thenable too, as `await` sees it.
    const thenableFunction = Object.assign(() => 'not this', {
      // biome-ignore lint/suspicious/noThenProperty: the point of the test
      then: (resolve: (value: unknown) => void) => resolve('from a thenable function'),
    });
    const results = [
      null,
      undefined,
      0,
      'text',
      { plain: true },
      thenableFunction,
      Promise.resolve('awaited'),
    ];
    const core = coreOver({ run: (call) => results[call.args[0] as number], close: async () => {} });
    const answers = await Promise.all(results.map((_, i) => core.submit('t', [i])));
    expect(answers).toEqual([
      null,
      undefined,
      0,
      'text',
      { plain: true },
      'from a thenable function',
      'awaited',
    ]);
  });

  it("leaves no listener on the caller's signal once the caller has its answer", async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1, timeout: 10_000 });
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const answers = controllers.map((c) => outcome(core.submit('t', [], { signal: c.signal })));
    expect(controllers.map((c) => getEventListeners(c.signal, 'abort').length)).toEqual([1, 1, 1]);
    backend.handed[0]!.resolve('done');
    await settleCallbacks();
    backend.handed[1]!.reject(new Error('failed'));
    await settleCallbacks();
    controllers[2]!.abort('stop');
    await settleCallbacks();
    expect(answers.map((a) => a.settled)).toEqual([true, true, true]);
    expect(controllers.map((c) => getEventListeners(c.signal, 'abort').length)).toEqual([0, 0, 0]);
  });

  it('runs a long queue of tasks that finish synchronously without deep recursion', async () => {
    let release: (value: unknown) => void = () => {};
    let calls = 0;
    const core = coreOver(
      {
        run: (call) => {
          calls++;
          return calls === 1 ? new Promise((resolve) => (release = resolve)) : call.args[0];
        },
        close: async () => {},
      },
      { concurrency: 1 },
    );
    const answers = Array.from({ length: 20_000 }, (_, i) => core.submit('t', [i]));
    release('first');
    const results = await Promise.all(answers);
    expect(results[0]).toBe('first');
    expect(results[19_999]).toBe(19_999);
    expect(core.stats()).toMatchObject({ completed: 20_000, running: 0, queued: 0 });
  });

  it('a listener the backend registers after the caller stopped waiting is called at once, with the reason', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 });
    const controller = new AbortController();
    const answer = outcome(core.submit('t', [], { signal: controller.signal }));
    const reason = new Error('stop');
    controller.abort(reason);
    await settleCallbacks();
    expect(answer.error).toBe(reason);
    const { task } = backend.handed[0]!;
    const heard: unknown[] = [];
    task.onAbort((r) => heard.push(r));
    expect(heard).toEqual([reason]);
    expect(task.signal).toBe(task.signal);
    expect(task.signal.aborted).toBe(true);
    expect(task.signal.reason).toBe(reason);
  });

  it('the backend hears one abort, with the first reason, however many follow', async () => {
    fakeClock();
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 });
    const controller = new AbortController();
    const answer = outcome(core.submit('t', [], { signal: controller.signal, timeout: 50 }));
    const { task } = backend.handed[0]!;
    const heard: unknown[] = [];
    task.onAbort((r) => heard.push(r));
    const signalHeard = vi.fn();
    task.signal.addEventListener('abort', signalHeard);
    vi.advanceTimersByTime(50);
    controller.abort(new Error('too late'));
    await settleCallbacks();
    expect(answer.error).toBeInstanceOf(TimeoutError);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBe(answer.error);
    expect(task.signal.reason).toBe(answer.error);
    expect(signalHeard).toHaveBeenCalledTimes(1);
    // The task holds its slot until it really stops.
    expect(core.stats()).toEqual({ queued: 0, running: 1, completed: 0, failed: 1, cancelled: 0 });
    backend.handed[0]!.resolve('late');
    await settleCallbacks();
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 0, failed: 1, cancelled: 0 });
  });

  it('onAbort(null) stops the listener; a signal read before the abort fires with it', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const controller = new AbortController();
    outcome(core.submit('t', [1], { signal: controller.signal }));
    outcome(core.submit('t', [2]));
    const [first, second] = backend.handed;
    const removed = vi.fn();
    first!.task.onAbort(removed);
    first!.task.onAbort(null);
    second!.task.onAbort(null); // never listened: nothing to remove
    const signal = first!.task.signal;
    expect(signal.aborted).toBe(false);
    controller.abort('reason');
    expect(removed).not.toHaveBeenCalled();
    expect(signal.reason).toBe('reason');
    expect(second!.task.signal.aborted).toBe(false);
  });

  it('a task aborted by its caller that runs on past its timeout counts once, as cancelled', async () => {
    fakeClock();
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 });
    const controller = new AbortController();
    const answer = outcome(core.submit('t', [], { signal: controller.signal, timeout: 50 }));
    const heard: unknown[] = [];
    backend.handed[0]!.task.onAbort((r) => heard.push(r));
    controller.abort('caller gave up');
    await settleCallbacks();
    expect(answer.error).toBe('caller gave up');
    vi.advanceTimersByTime(200);
    expect(core.stats()).toEqual({ queued: 0, running: 1, completed: 0, failed: 0, cancelled: 1 });
    backend.handed[0]!.resolve('late');
    await settleCallbacks();
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 0, failed: 0, cancelled: 1 });
    expect(heard).toEqual(['caller gave up']);
  });

  it('a task that ends in any way leaves no timer behind', async () => {
    fakeClock();
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 3, timeout: 1_000 });
    const controller = new AbortController();
    const answers = [
      outcome(core.submit('t', ['ok'])),
      outcome(core.submit('t', ['fails'])),
      outcome(core.submit('t', ['aborted'], { signal: controller.signal })),
    ];
    expect(vi.getTimerCount()).toBe(3);
    backend.handed[0]!.resolve('ok');
    backend.handed[1]!.reject(new Error('fails'));
    controller.abort('no');
    backend.handed[2]!.resolve('stopped');
    await settleCallbacks();
    expect(answers.map((a) => a.settled)).toEqual([true, true, true]);
    expect(vi.getTimerCount()).toBe(0);
    // A map's tasks too.
    const iterator = core.map('t', [1, 2], { timeout: 1_000 });
    const first = iterator.next();
    await settleCallbacks();
    for (const task of backend.handed.slice(3)) task.resolve('mapped');
    expect(await first).toEqual({ done: false, value: 'mapped' });
    expect(await iterator.next()).toEqual({ done: false, value: 'mapped' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a timeout counts from the start, not from the submit', async () => {
    fakeClock();
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 });
    outcome(core.submit('t', ['first']));
    const queued = outcome(core.submit('t', ['second'], { timeout: 100 }));
    vi.advanceTimersByTime(500);
    backend.handed[0]!.resolve(1);
    await settleCallbacks();
    vi.advanceTimersByTime(99);
    await settleCallbacks();
    expect(queued.settled).toBe(false);
    vi.advanceTimersByTime(1);
    await settleCallbacks();
    expect(queued.error).toBeInstanceOf(TimeoutError);
    expect((queued.error as TimeoutError).timeout).toBe(100);
  });

  it('a backend that reports starts has its tasks timed from started(), once', async () => {
    fakeClock();
    const backend = new FakeBackend(0, true);
    const core = coreOver(backend, { concurrency: 2, timeout: 100 });
    const waited = outcome(core.submit('t', ['module loading']));
    vi.advanceTimersByTime(500);
    await settleCallbacks();
    expect(waited.settled).toBe(false);
    expect(core.stats()).toMatchObject({ running: 1 });
    backend.handed[0]!.task.started();
    vi.advanceTimersByTime(50);
    backend.handed[0]!.task.started(); // a second call changes nothing
    vi.advanceTimersByTime(49);
    await settleCallbacks();
    expect(waited.settled).toBe(false);
    vi.advanceTimersByTime(1);
    await settleCallbacks();
    expect(waited.error).toBeInstanceOf(TimeoutError);
    backend.handed[0]!.resolve('late');
    await settleCallbacks();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a backend that does not report starts has its tasks timed from run; started() changes nothing', async () => {
    fakeClock();
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1, timeout: 100 });
    const task = outcome(core.submit('t', []));
    vi.advanceTimersByTime(80);
    backend.handed[0]!.task.started();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(20);
    await settleCallbacks();
    expect(task.error).toBeInstanceOf(TimeoutError);
    backend.handed[0]!.resolve('late');
    await settleCallbacks();
    backend.handed[0]!.task.started(); // after the end: nothing to time
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a result that comes after the deadline loses, even when the timer could not fire yet', async () => {
    // Only the clock is fake: the deadline passes while the event loop is busy.
    vi.useFakeTimers({ toFake: ['performance'] });
    vi.advanceTimersByTime(1_000);
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2 });
    const late = outcome(core.submit('t', [], { timeout: 10_000 }));
    const inTime = outcome(core.submit('t', [], { timeout: 10_000 }));
    vi.advanceTimersByTime(9_999);
    backend.handed[1]!.resolve('in time');
    await settleCallbacks();
    vi.advanceTimersByTime(1);
    backend.handed[0]!.resolve('late');
    await settleCallbacks();
    expect(inTime.value).toBe('in time');
    expect(late.error).toBeInstanceOf(TimeoutError);
    expect(core.stats()).toMatchObject({ completed: 1, failed: 1 });
  });

  it('ready() and map of no input ask the backend, when it can answer', async () => {
    const plain = coreOver(new FakeBackend());
    await expect(plain.ready()).resolves.toBeUndefined();
    expect(await plain.map('anything', []).next()).toEqual({ done: true, value: undefined });
    let readyCalls = 0;
    const checked: string[] = [];
    const asking = coreOver({
      run: () => 1,
      close: async () => {},
      ready: async () => {
        readyCalls++;
      },
      checkTask: (name) => {
        checked.push(name);
        if (name !== 'known') throw new TypeError(`unknown task '${name}'`);
      },
    });
    await asking.ready();
    expect(readyCalls).toBe(1);
    expect(await asking.map('known', []).next()).toEqual({ done: true, value: undefined });
    await expect(asking.map('nope', []).next()).rejects.toThrow(new TypeError("unknown task 'nope'"));
    expect(checked).toEqual(['known', 'nope']);
  });

  it('`await using` shuts the executor down', async () => {
    const backend = new FakeBackend();
    {
      await using core = coreOver(backend);
      expect(await Promise.race([core.submit('t', []), settleCallbacks().then(() => 'pending')])).toBe(
        'pending',
      );
      backend.handed[0]!.resolve('done');
    }
    expect(backend.closed).toBe(1);
  });

  it('maxQueue: 0 runs a task while a slot is free and rejects one that would wait', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1, maxQueue: 0 });
    const first = outcome(core.submit('t', [1]));
    const refused = outcome(core.submit('t', [2]));
    await settleCallbacks();
    expect(refused.error).toBeInstanceOf(QueueFullError);
    expect((refused.error as QueueFullError).maxQueue).toBe(0);
    expect(backend.args).toEqual([[1]]);
    backend.handed[0]!.resolve('one');
    await settleCallbacks();
    expect(first.value).toBe('one');
    outcome(core.submit('t', [3]));
    expect(backend.args).toEqual([[1], [3]]);
  });

  it('maxQueue bounds the waiting tasks, not the running ones', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 2, maxQueue: 1 });
    const answers = [1, 2, 3, 4].map((n) => outcome(core.submit('t', [n])));
    await settleCallbacks();
    expect(answers.map((a) => a.error instanceof QueueFullError)).toEqual([false, false, false, true]);
    expect(core.stats()).toMatchObject({ queued: 1, running: 2 });
  });

  it('tasks with and without options wait in one FIFO queue, and every one of them runs', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 });
    const signal = new AbortController().signal;
    const answers = [
      outcome(core.submit('t', ['a'])),
      outcome(core.submit('t', ['b'], { timeout: 10_000 })),
      outcome(core.submit('t', ['c'])),
      outcome(core.submit('t', ['d'], { signal })),
      outcome(core.submit('t', ['e'])),
    ];
    expect(core.stats()).toMatchObject({ queued: 4, running: 1 });
    for (let i = 0; i < answers.length; i++) {
      expect(backend.args).toEqual(['a', 'b', 'c', 'd', 'e'].slice(0, i + 1).map((x) => [x]));
      backend.handed[i]!.resolve(i);
      await settleCallbacks();
      expect(answers[i]!.value).toBe(i);
    }
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 5, failed: 0, cancelled: 0 });
  });

  it('maxQueue refuses a task with options as it does one without', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1, maxQueue: 1 });
    outcome(core.submit('t', [1]));
    outcome(core.submit('t', [2], { timeout: 10_000 }));
    const refused = outcome(core.submit('t', [3], { timeout: 10_000 }));
    await settleCallbacks();
    expect(refused.error).toBeInstanceOf(QueueFullError);
    expect(core.stats()).toMatchObject({ queued: 1, running: 1 });
  });

  it('an abort of a waiting task takes it out of the queue: it never reaches the backend', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 });
    const controller = new AbortController();
    outcome(core.submit('t', [1]));
    const waiting = outcome(core.submit('t', [2], { signal: controller.signal }));
    outcome(core.submit('t', [3]));
    controller.abort('not needed');
    await settleCallbacks();
    expect(waiting.error).toBe('not needed');
    expect(core.stats()).toEqual({ queued: 1, running: 1, completed: 0, failed: 0, cancelled: 1 });
    backend.handed[0]!.resolve(1);
    await settleCallbacks();
    expect(backend.args).toEqual([[1], [3]]);
  });

  it('shutdown waits for running tasks, runs or cancels the queue, then closes the backend once', async () => {
    const backend = new FakeBackend();
    const core = coreOver(backend, { concurrency: 1 });
    const running = outcome(core.submit('t', [1]));
    const queued = outcome(core.submit('t', [2]));
    // A call with options waits as its job (see Waiting in scheduler.ts): it is cancelled too.
    const queuedWithOptions = outcome(core.submit('t', [2.5], { timeout: 10_000 }));
    const done = outcome(core.shutdown({ cancelPending: true }));
    expect(core.shutdown()).toBe(core.shutdown());
    const late = outcome(core.submit('t', [3]));
    await settleCallbacks();
    expect(queued.error).toBeInstanceOf(CancelledError);
    expect(queuedWithOptions.error).toBeInstanceOf(CancelledError);
    expect(late.error).toBeInstanceOf(ExecutorClosedError);
    await expect(core.map('t', [1]).next()).rejects.toThrow(ExecutorClosedError);
    expect(done.settled).toBe(false);
    expect(backend.closed).toBe(0);
    backend.handed[0]!.resolve('one');
    await settleCallbacks();
    expect(running.value).toBe('one');
    expect(done.settled).toBe(true);
    expect(backend.closed).toBe(1);
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 1, failed: 0, cancelled: 2 });
    expect(backend.args).toEqual([[1]]);
    expect((queued.error as Error).message).toBe('executor shut down before the task started');
    // Without cancelPending it waits for every task, however they end.
    const second = new FakeBackend();
    const waiting = coreOver(second, { concurrency: 2 });
    outcome(waiting.submit('t', [1]));
    outcome(waiting.submit('t', [2]));
    const closed = outcome(waiting.shutdown());
    second.handed[0]!.resolve(1);
    await settleCallbacks();
    expect(closed.settled).toBe(false);
    second.handed[1]!.resolve(2);
    await settleCallbacks();
    expect(closed.settled).toBe(true);
    expect(() => core.shutdown({ force: true } as object)).toThrow(
      new TypeError("shutdown: unknown option 'force' (known options: cancelPending)"),
    );
  });
});

describe('staging', () => {
  /** A core over a staging backend, warmed up by one instant task so that staging is on. */
  async function stagingCore(timeout?: number) {
    fakeClock();
    const backend = new FakeBackend(1);
    const core = coreOver(backend, { concurrency: 1, ...(timeout ? { timeout } : {}) });
    const first = outcome(core.submit('t', ['warm-up']));
    // Staged tasks are queued until the backend says they started.
    expect(core.stats()).toMatchObject({ queued: 1, running: 0 });
    backend.handed[0]!.task.started();
    expect(core.stats()).toMatchObject({ queued: 0, running: 1 });
    backend.handed[0]!.resolve('warm');
    await settleCallbacks();
    expect(first.value).toBe('warm');
    return { backend, core };
  }

  it('hands short tasks ahead, never counts more than `concurrency` running, and times them from their start', async () => {
    const { backend, core } = await stagingCore();
    const running: number[] = [];
    const look = () => running.push(core.stats().running);
    const b = outcome(core.submit('t', ['b'], { timeout: 100 }));
    const c = outcome(core.submit('t', ['c'], { timeout: 100 }));
    outcome(core.submit('t', ['d']));
    // One place runs, one task is staged behind it; the third waits here.
    expect(backend.args.slice(1)).toEqual([['b'], ['c']]);
    expect(core.stats()).toMatchObject({ queued: 3, running: 0 });
    backend.handed[1]!.task.started();
    look();
    // The worker moved on to c while b's result is still on its way here.
    backend.handed[2]!.task.started();
    look();
    expect(core.stats()).toMatchObject({ queued: 1, running: 1 });
    vi.advanceTimersByTime(60);
    backend.handed[1]!.resolve('b');
    await settleCallbacks();
    look();
    expect(b.value).toBe('b');
    // c runs from now: its 100 ms count from b's end, not from its own started().
    vi.advanceTimersByTime(60);
    await settleCallbacks();
    expect(c.settled).toBe(false);
    vi.advanceTimersByTime(40);
    await settleCallbacks();
    expect(c.error).toBeInstanceOf(TimeoutError);
    expect(running.every((n) => n <= 1)).toBe(true);
    expect(running).toEqual([1, 1, 1]);
  });

  it('a staged task that starts late begins then, and its timeout counts from then', async () => {
    const { backend, core } = await stagingCore(100);
    const b = outcome(core.submit('t', ['b']));
    vi.advanceTimersByTime(500);
    await settleCallbacks();
    expect(b.settled).toBe(false);
    backend.handed[1]!.task.started();
    backend.handed[1]!.task.started(); // a second call changes nothing
    expect(core.stats()).toMatchObject({ queued: 0, running: 1 });
    vi.advanceTimersByTime(100);
    await settleCallbacks();
    expect(b.error).toBeInstanceOf(TimeoutError);
  });

  it('a second started() of a task waiting for its place changes nothing', async () => {
    const { backend, core } = await stagingCore();
    outcome(core.submit('t', ['b']));
    const c = outcome(core.submit('t', ['c']));
    backend.handed[1]!.task.started();
    backend.handed[2]!.task.started(); // early: b's result is not in yet
    backend.handed[2]!.task.started();
    backend.handed[1]!.resolve('b');
    await settleCallbacks();
    expect(core.stats()).toMatchObject({ queued: 0, running: 1 });
    backend.handed[2]!.resolve('c');
    await settleCallbacks();
    expect(c.value).toBe('c');
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 3, failed: 0, cancelled: 0 });
  });

  it('a staged task cancelled before it starts is let go without ever running', async () => {
    const { backend, core } = await stagingCore();
    const controller = new AbortController();
    outcome(core.submit('t', ['b']));
    const c = outcome(core.submit('t', ['c'], { signal: controller.signal }));
    backend.handed[1]!.task.started();
    const heard: unknown[] = [];
    backend.handed[2]!.task.onAbort((r) => heard.push(r));
    controller.abort('skip it');
    await settleCallbacks();
    expect(c.error).toBe('skip it');
    expect(heard).toEqual(['skip it']);
    expect(core.stats()).toEqual({ queued: 0, running: 1, completed: 1, failed: 0, cancelled: 1 });
    // The backend skips it: it settles without started().
    backend.handed[2]!.reject(new CancelledError());
    await settleCallbacks();
    expect(core.stats()).toEqual({ queued: 0, running: 1, completed: 1, failed: 0, cancelled: 1 });
    // Its place is free again.
    outcome(core.submit('t', ['d']));
    expect(backend.args.slice(1)).toEqual([['b'], ['c'], ['d']]);
    backend.handed[1]!.resolve('b');
    await settleCallbacks();
    expect(core.stats()).toEqual({ queued: 1, running: 0, completed: 2, failed: 0, cancelled: 1 });
  });

  it('letting go a cancelled staged task leaves the one waiting for its place alone', async () => {
    fakeClock();
    const backend = new FakeBackend(2);
    const core = coreOver(backend, { concurrency: 1 });
    outcome(core.submit('t', ['warm-up']));
    backend.handed[0]!.task.started();
    backend.handed[0]!.resolve(0);
    await settleCallbacks();
    const controller = new AbortController();
    outcome(core.submit('t', ['x']));
    const y = outcome(core.submit('t', ['y']));
    outcome(core.submit('t', ['z'], { signal: controller.signal }));
    expect(backend.args.slice(1)).toEqual([['x'], ['y'], ['z']]);
    backend.handed[1]!.task.started();
    backend.handed[2]!.task.started(); // early: x's result is not in yet
    controller.abort('not z');
    backend.handed[3]!.reject(new CancelledError());
    await settleCallbacks();
    expect(core.stats()).toMatchObject({ running: 1, queued: 0 });
    backend.handed[1]!.resolve('x');
    await settleCallbacks();
    // y begins now that x is done.
    expect(core.stats()).toMatchObject({ running: 1, completed: 2 });
    backend.handed[2]!.resolve('y');
    await settleCallbacks();
    expect(y.value).toBe('y');
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 3, failed: 0, cancelled: 1 });
  });

  it('a task started early and then cancelled never counts as running', async () => {
    const { backend, core } = await stagingCore();
    const controller = new AbortController();
    outcome(core.submit('t', ['b']));
    outcome(core.submit('t', ['c'], { signal: controller.signal }));
    backend.handed[1]!.task.started();
    backend.handed[2]!.task.started(); // early: b's result is not in yet
    controller.abort('skip it');
    backend.handed[2]!.resolve('stopped');
    await settleCallbacks();
    backend.handed[1]!.resolve('b');
    await settleCallbacks();
    expect(core.stats()).toEqual({ queued: 0, running: 0, completed: 2, failed: 0, cancelled: 1 });
    const closed = outcome(core.shutdown());
    await settleCallbacks();
    expect(closed.settled).toBe(true);
  });

  it('a placed task counts as running, stays when pending work is cancelled, and is timed from started()', async () => {
    const { backend, core } = await stagingCore(100);
    const b = outcome(core.submit('t', ['b']));
    backend.handed[1]!.task.placed();
    expect(core.stats()).toMatchObject({ queued: 0, running: 1 });
    const done = outcome(core.shutdown({ cancelPending: true }));
    vi.advanceTimersByTime(500);
    await settleCallbacks();
    expect(b.settled).toBe(false);
    backend.handed[1]!.task.started();
    vi.advanceTimersByTime(100);
    await settleCallbacks();
    expect(b.error).toBeInstanceOf(TimeoutError);
    backend.handed[1]!.resolve('late');
    await settleCallbacks();
    expect(done.settled).toBe(true);
  });

  it('shutdown with cancelPending cancels staged tasks too', async () => {
    const { backend, core } = await stagingCore();
    outcome(core.submit('t', ['b']));
    const c = outcome(core.submit('t', ['c']));
    const d = outcome(core.submit('t', ['d']));
    backend.handed[1]!.task.started();
    const done = outcome(core.shutdown({ cancelPending: true }));
    await settleCallbacks();
    expect(c.error).toBeInstanceOf(CancelledError);
    expect(d.error).toBeInstanceOf(CancelledError);
    expect(core.stats()).toMatchObject({ queued: 0, running: 1, cancelled: 2 });
    backend.handed[2]!.reject(new CancelledError());
    backend.handed[1]!.resolve('b');
    await settleCallbacks();
    expect(done.settled).toBe(true);
    expect(backend.args.slice(1)).toEqual([['b'], ['c']]);
  });

  it('staged tasks count against maxQueue', async () => {
    fakeClock();
    const backend = new FakeBackend(1);
    const core = coreOver(backend, { concurrency: 1, maxQueue: 1 });
    outcome(core.submit('t', ['warm-up']));
    backend.handed[0]!.task.started();
    backend.handed[0]!.resolve(0);
    await settleCallbacks();
    outcome(core.submit('t', ['b']));
    backend.handed[1]!.task.started();
    outcome(core.submit('t', ['c'])); // staged: waiting
    const refused = outcome(core.submit('t', ['d']));
    await settleCallbacks();
    expect(refused.error).toBeInstanceOf(QueueFullError);
  });

  it('stages only while recent tasks took less than 2 ms', async () => {
    fakeClock();
    const backend = new FakeBackend(1);
    const core = coreOver(backend, { concurrency: 1 });
    outcome(core.submit('t', ['two ms']));
    backend.handed[0]!.task.started();
    vi.advanceTimersByTime(2);
    backend.handed[0]!.resolve(0);
    await settleCallbacks();
    outcome(core.submit('t', ['b']));
    outcome(core.submit('t', ['c']));
    expect(backend.args.slice(1)).toEqual([['b']]);
  });

  it('a task submitted while the queue is being drained waits behind the tasks already waiting', async () => {
    for (const options of [undefined, { timeout: 10_000 }]) {
      fakeClock();
      let core: ReturnType<typeof coreOver> | undefined;
      // When 'b' is handed over, places are free and 'c' still waits: a submit from inside must not
      // overtake 'c'.
      const backend = new (class extends FakeBackend {
        override run(call: Parameters<FakeBackend['run']>[0], task: Parameters<FakeBackend['run']>[1]) {
          if (call.args[0] === 'b') outcome(core!.submit('t', ['nested'], options));
          return super.run(call, task);
        }
      })(2);
      core = coreOver(backend, { concurrency: 1 });
      outcome(core.submit('t', ['a']));
      outcome(core.submit('t', ['b']));
      outcome(core.submit('t', ['c']));
      expect(backend.args).toEqual([['a']]);
      backend.handed[0]!.task.started();
      // An instant task turns staging on: the places grow from 1 to 3, and the queue is drained in
      // order, the nested task last.
      backend.handed[0]!.resolve('a');
      await settleCallbacks();
      expect(backend.args).toEqual([['a'], ['b'], ['c'], ['nested']]);
      vi.useRealTimers();
    }
  });

  it('stops staging while tasks are long', async () => {
    const { backend, core } = await stagingCore();
    outcome(core.submit('t', ['long']));
    backend.handed[1]!.task.started();
    vi.advanceTimersByTime(50);
    backend.handed[1]!.resolve('long');
    await settleCallbacks();
    outcome(core.submit('t', ['b']));
    outcome(core.submit('t', ['c']));
    // The recent task took 50 ms: no task is staged behind b.
    expect(backend.args.slice(2)).toEqual([['b']]);
  });
});
