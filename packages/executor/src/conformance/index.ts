/**
 * The conformance suite: every backend runs it from its own tests.
 *
 *   import { describeConformance } from '@forkroad/executor/conformance';
 *   describeConformance({ name: 'threads', createExecutor, faults: { crash: true, stuckLoop: true } });
 *
 * Property tests (fast-check) run random programs of submit / map / abort / timeout / failing
 * tasks / shutdown against a model of what each task may end as, and check the six guarantees of
 * the contract; example tests check what a user sees. Faults only some backends survive are
 * switched on per backend.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asCompleted } from '../as-completed.js';
import {
  CancelledError,
  ExecutorClosedError,
  QueueFullError,
  SerializationError,
  TimeoutError,
  WorkerCrashedError,
} from '../errors.js';
import type { Executor, ExecutorOptions } from '../types.js';
import type * as Tasks from './tasks.js';

export type ConformanceTasks = typeof Tasks;

/** The task module the suite runs (compiled JavaScript, loadable by any backend). */
export const conformanceTasksUrl = new URL('./tasks.js', import.meta.url);
/** A task module that throws while loading. */
export const brokenModuleUrl = new URL('./broken-module.js', import.meta.url);

export interface ConformanceSubject {
  /** Shown in the test names. */
  name: string;
  createExecutor(module: URL | string, options?: ExecutorOptions & Record<string, unknown>): Executor<any>;
  /** Faults this backend survives; off by default. */
  faults?: {
    /** A worker that exits or dies of an uncaught exception fails only its task. */
    crash?: boolean;
    /** A synchronous loop past its timeout is stopped by replacing its worker. */
    stuckLoop?: boolean;
    /** Options that cap the worker's heap, for the out-of-memory test; omit to skip it. */
    outOfMemory?: Record<string, unknown>;
    /** Arguments and results are copied, and uncopyable ones reject with SerializationError. */
    serialization?: boolean;
  };
  /** fast-check runs per property (default 25): keep it low where executors are costly to start. */
  numRuns?: number;
}

type Executed = Executor<ConformanceTasks>;

/** How long any single test may take; generous, because CI machines are slow and shared. */
const testTimeout = 60_000;

/** What one submitted task may legitimately end as, given what the program did to it. */
interface Expectation {
  fulfilled?: unknown;
  rejectedWith: ((error: unknown) => boolean)[];
}

interface Watched {
  settlements: number;
  outcome?: { ok: boolean; value: unknown };
  done: Promise<void>;
}

function watch(promise: Promise<unknown>): Watched {
  const watched: Watched = { settlements: 0, done: Promise.resolve() };
  watched.done = promise.then(
    (value) => {
      watched.settlements++;
      watched.outcome = { ok: true, value };
    },
    (error) => {
      watched.settlements++;
      watched.outcome = { ok: false, value: error };
    },
  );
  return watched;
}

const isTimeout = (e: unknown) => e instanceof TimeoutError || (e as Error)?.name === 'TimeoutError';
const isCancelled = (e: unknown) => e instanceof CancelledError || (e as Error)?.name === 'CancelledError';
const isClosed = (e: unknown) => e instanceof ExecutorClosedError;
const sameAs = (expected: unknown) => (e: unknown) => e === expected;
const failedWith = (message: string) => (e: unknown) => e instanceof Error && e.message === message;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`'s value, or rejects if it takes longer than `ms`. */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, it fulfilled');
}

// ---------------------------------------------------------------------------------------------
// Random programs
// ---------------------------------------------------------------------------------------------

type TaskSpec =
  | { kind: 'echo'; value: number }
  | { kind: 'sleep'; ms: number; value: number }
  | { kind: 'fail'; message: string }
  | { kind: 'hang'; timeout: number };

type Step =
  | { op: 'submit'; task: TaskSpec; abortAfter: number | null }
  | {
      op: 'map';
      inputs: number[];
      ordered: boolean;
      failAt: number | null;
      breakAfter: number | null;
      chunk: number | 'auto';
    }
  | { op: 'wait'; ms: number };

const taskSpec: fc.Arbitrary<TaskSpec> = fc.oneof(
  fc.record({ kind: fc.constant('echo' as const), value: fc.integer() }),
  fc.record({
    kind: fc.constant('sleep' as const),
    ms: fc.integer({ min: 0, max: 15 }),
    value: fc.integer(),
  }),
  fc.record({ kind: fc.constant('fail' as const), message: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('hang' as const), timeout: fc.integer({ min: 5, max: 40 }) }),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('submit' as const),
      task: taskSpec,
      abortAfter: fc.option(fc.integer({ min: 0, max: 20 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('map' as const),
      inputs: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 12 }),
      ordered: fc.boolean(),
      failAt: fc.option(fc.nat({ max: 11 })),
      breakAfter: fc.option(fc.nat({ max: 11 })),
      chunk: fc.constantFrom(1, 3, 'auto' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 10 }) }),
  },
);

const program = fc.record({
  concurrency: fc.integer({ min: 1, max: 4 }),
  steps: fc.array(step, { minLength: 1, maxLength: 14 }),
  shutdown: fc.constantFrom('graceful', 'cancelPending'),
  submitAfterShutdown: fc.boolean(),
});

type Program = typeof program extends fc.Arbitrary<infer T> ? T : never;

function submitSpec(pool: Executed, spec: TaskSpec, signal: AbortSignal | undefined): Promise<unknown> {
  switch (spec.kind) {
    case 'echo':
      return pool.submit('echo', [spec.value], { signal });
    case 'sleep':
      return pool.submit('sleep', [spec.ms, spec.value], { signal });
    case 'fail':
      return pool.submit('fail', [spec.message], { signal });
    case 'hang':
      return pool.submit('cooperative', [60_000], { signal, timeout: spec.timeout });
  }
}

function expectationOf(spec: TaskSpec): Expectation {
  switch (spec.kind) {
    case 'echo':
    case 'sleep':
      return { fulfilled: spec.value, rejectedWith: [] };
    case 'fail':
      return { rejectedWith: [failedWith(spec.message)] };
    case 'hang':
      return { rejectedWith: [isTimeout] };
  }
}

interface MapRun {
  step: Extract<Step, { op: 'map' }>;
  results: number[];
  error?: unknown;
  done: Promise<void>;
}

function runMap(pool: Executed, s: Extract<Step, { op: 'map' }>): MapRun {
  const run: MapRun = { step: s, results: [], done: Promise.resolve() };
  // Each input is [value, failOn]: the task fails when they are equal, at index failAt only.
  const inputs = s.inputs.map((value, index) => [value, index === s.failAt ? value : -1] as [number, number]);
  run.done = (async () => {
    try {
      for await (const result of pool.map('failOn', inputs, { ordered: s.ordered, chunkSize: s.chunk })) {
        run.results.push(result);
        if (run.results.length === s.breakAfter) break;
      }
    } catch (error) {
      run.error = error;
    }
  })();
  return run;
}

function checkMap(run: MapRun, shutdownCancels: boolean): void {
  const { step: s } = run;
  const failing = s.failAt !== null && s.failAt < s.inputs.length ? s.inputs[s.failAt]! : null;
  const expected = s.inputs.map((v) => v + 1);
  const endsEarly = s.breakAfter !== null && s.breakAfter > 0 && s.breakAfter <= s.inputs.length;
  if (run.error !== undefined) {
    // A map may only fail with its failing input's error, or because the executor closed under it.
    const failedAsPlanned =
      failing !== null && run.error instanceof Error && run.error.message === `input ${failing} failed`;
    const closedUnderIt = isClosed(run.error) || (shutdownCancels && isCancelled(run.error));
    expect(failedAsPlanned || closedUnderIt, `map ended with ${String(run.error)}`).toBe(true);
  } else {
    expect(failing === null || (endsEarly && run.results.length === s.breakAfter)).toBe(true);
    expect(run.results.length).toBe(endsEarly ? s.breakAfter : s.inputs.length);
  }
  // Whatever was yielded is right: a prefix in order, or a sub-multiset of the expected results.
  if (s.ordered) {
    expect(run.results).toEqual(expected.slice(0, run.results.length));
  } else {
    const remaining = [...expected];
    for (const r of run.results) {
      const at = remaining.indexOf(r);
      expect(at, `unexpected result ${r}`).toBeGreaterThanOrEqual(0);
      remaining.splice(at, 1);
    }
  }
}

async function runProgram(subject: ConformanceSubject, p: Program): Promise<void> {
  const pool = subject.createExecutor(conformanceTasksUrl, { concurrency: p.concurrency }) as Executed;
  const submitted: { watched: Watched; expectation: Expectation; spec: TaskSpec }[] = [];
  const maps: MapRun[] = [];
  const aborts: ReturnType<typeof setTimeout>[] = [];
  try {
    for (const s of p.steps) {
      if (s.op === 'wait') await sleep(s.ms);
      else if (s.op === 'map') maps.push(runMap(pool, s));
      else {
        const expectation = expectationOf(s.task);
        let signal: AbortSignal | undefined;
        if (s.abortAfter !== null) {
          const controller = new AbortController();
          const reason = new Error('aborted by the program');
          signal = controller.signal;
          expectation.rejectedWith.push(sameAs(reason));
          aborts.push(setTimeout(() => controller.abort(reason), s.abortAfter));
        }
        if (p.shutdown === 'cancelPending') expectation.rejectedWith.push(isCancelled);
        submitted.push({ watched: watch(submitSpec(pool, s.task, signal)), expectation, spec: s.task });
      }
    }
    const closing = pool.shutdown({ cancelPending: p.shutdown === 'cancelPending' });
    const late = p.submitAfterShutdown ? watch(pool.submit('echo', [1])) : null;
    await within(30_000, closing, 'shutdown');
    await within(
      30_000,
      Promise.all([...submitted.map((t) => t.watched.done), ...maps.map((m) => m.done)]),
      'every task settling',
    );

    // Guarantee 1: every accepted task settled exactly once, as the model allows.
    for (const { watched, expectation, spec } of submitted) {
      expect(watched.settlements, `settlements of ${JSON.stringify(spec)}`).toBe(1);
      const { ok, value } = watched.outcome!;
      if (ok) {
        expect('fulfilled' in expectation, `${JSON.stringify(spec)} fulfilled with ${String(value)}`).toBe(
          true,
        );
        expect(value).toEqual(expectation.fulfilled);
      } else {
        expect(
          expectation.rejectedWith.some((allowed) => allowed(value)),
          `${JSON.stringify(spec)} rejected with ${String(value)}`,
        ).toBe(true);
      }
    }
    for (const run of maps) checkMap(run, p.shutdown === 'cancelPending');
    if (late) {
      await late.done;
      expect(late.outcome?.ok === false && isClosed(late.outcome.value)).toBe(true);
    }
    const stats = pool.stats();
    expect(stats.queued).toBe(0);
    expect(stats.running).toBe(0);
    if (maps.length === 0) {
      const outcomes = submitted.map((t) => t.watched.outcome!);
      expect(stats.completed).toBe(outcomes.filter((o) => o.ok).length);
      expect(stats.completed + stats.failed + stats.cancelled).toBe(submitted.length);
    }
  } finally {
    for (const timer of aborts) clearTimeout(timer);
    await pool.shutdown({ cancelPending: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

export function describeConformance(subject: ConformanceSubject): void {
  const numRuns = subject.numRuns ?? 25;
  const faults = subject.faults ?? {};
  const make = (options?: ExecutorOptions & Record<string, unknown>) =>
    subject.createExecutor(conformanceTasksUrl, options) as Executed;

  describe(`${subject.name}: executor conformance`, { timeout: testTimeout }, () => {
    describe('properties', () => {
      it('random programs: every task settles exactly once, as the model allows; stats add up', async () => {
        await fc.assert(
          fc.asyncProperty(program, (p) => runProgram(subject, p)),
          { numRuns },
        );
      });

      it('never more than `concurrency` tasks run at once', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 4 }),
            fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 14 }),
            fc.boolean(),
            async (concurrency, durations, viaMap) => {
              const pool = make({ concurrency });
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
                await pool.shutdown();
              }
            },
          ),
          { numRuns },
        );
      });

      it('map keeps input order, or yields every result once in completion order', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer()), { maxLength: 20 }),
            fc.boolean(),
            fc.constantFrom(1, 2, 5, 'auto' as const),
            fc.integer({ min: 1, max: 4 }),
            async (inputs, ordered, chunkSize, concurrency) => {
              const pool = make({ concurrency: 2 });
              try {
                const results: number[] = [];
                for await (const r of pool.map('slowAddOne', inputs, { ordered, chunkSize, concurrency }))
                  results.push(r);
                const expected = inputs.map(([, v]) => v + 1);
                if (ordered) expect(results).toEqual(expected);
                else expect([...results].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
              } finally {
                await pool.shutdown();
              }
            },
          ),
          { numRuns },
        );
      });

      it('map is lazy: it pulls no more than the in-flight limit plus a window ahead of the consumer', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 1, max: 4 }),
            fc.boolean(),
            fc.integer({ min: 1, max: 30 }),
            async (concurrency, chunkSize, ordered, take) => {
              const pool = make({ concurrency: 2 });
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
              try {
                let consumed = 0;
                expect(pulled).toBe(0);
                for await (const _ of pool.map('addOne', endless(), { concurrency, chunkSize, ordered })) {
                  consumed++;
                  expect(pulled - consumed).toBeLessThanOrEqual(2 * concurrency * chunkSize);
                  if (consumed % 3 === 0) await sleep(1);
                  if (consumed === take) break;
                }
                expect(closed).toBe(true);
              } finally {
                await pool.shutdown();
              }
            },
          ),
          { numRuns },
        );
      });
    });

    describe('map', () => {
      it('yields in completion order with ordered: false', async () => {
        const pool = make({ concurrency: 2 });
        try {
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
        } finally {
          await pool.shutdown();
        }
      });

      it('accepts an async iterable as input', async () => {
        const pool = make({ concurrency: 2 });
        async function* numbers() {
          for (let i = 0; i < 10; i++) {
            await sleep(1);
            yield i;
          }
        }
        try {
          const results: number[] = [];
          for await (const r of pool.map('addOne', numbers())) results.push(r);
          expect(results).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        } finally {
          await pool.shutdown();
        }
      });

      it('the first failure ends the iteration with that error and cancels the rest', async () => {
        const pool = make({ concurrency: 2 });
        async function* inputs() {
          yield 'fail';
          for (;;) yield 'hang';
        }
        try {
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
        } finally {
          await pool.shutdown();
        }
      });

      it('leaving a for-await early cancels the running tasks of that map', async () => {
        const pool = make({ concurrency: 2 });
        try {
          const inputs = [1, 60_000, 60_000, 60_000];
          for await (const _ of pool.map('cooperative', inputs, { ordered: false })) break;
          // The cooperative tasks stop when their signal fires; shutdown then has nothing to wait for.
          await within(10_000, pool.shutdown(), 'shutdown after leaving a map early');
          const stats = pool.stats();
          expect(stats.running).toBe(0);
          expect(stats.cancelled).toBeGreaterThanOrEqual(1);
        } finally {
          await pool.shutdown();
        }
      });

      it("aborting map's signal ends it with the signal's reason", async () => {
        const pool = make({ concurrency: 2 });
        const controller = new AbortController();
        const reason = new Error('stop mapping');
        setTimeout(() => controller.abort(reason), 20);
        try {
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
        } finally {
          await within(10_000, pool.shutdown(), 'shutdown');
        }
      });
    });

    describe('timeouts, aborts and taskSignal', () => {
      it('a timeout answers the caller at once, and a cooperative task frees its slot without losing its worker', async () => {
        const pool = make({ concurrency: 1 });
        try {
          const before = await pool.submit('workerIdentity', []);
          const started = performance.now();
          const error = await rejection(pool.submit('cooperative', [60_000], { timeout: 50 }));
          expect(error).toBeInstanceOf(TimeoutError);
          expect(error.name).toBe('TimeoutError');
          expect(performance.now() - started).toBeLessThan(5_000);
          const after = await within(5_000, pool.submit('workerIdentity', []), 'the next task');
          expect(after).toBe(before);
        } finally {
          await pool.shutdown();
        }
      });

      it('the executor-wide timeout applies to every task, and a per-task timeout overrides it', async () => {
        const pool = make({ concurrency: 2, timeout: 50 });
        try {
          expect(await rejection(pool.submit('cooperative', [60_000]))).toBeInstanceOf(TimeoutError);
          expect(await pool.submit('sleep', [100, 'ok'], { timeout: 10_000 })).toBe('ok');
        } finally {
          await pool.shutdown();
        }
      });

      it("an abort rejects with the signal's reason and stops the task", async () => {
        const pool = make({ concurrency: 1 });
        const controller = new AbortController();
        const reason = new Error('user gave up');
        try {
          const promise = pool.submit('cooperative', [60_000], { signal: controller.signal });
          await sleep(20);
          controller.abort(reason);
          expect(await rejection(promise)).toBe(reason);
          expect(await within(5_000, pool.submit('echo', [7]), 'the next task')).toBe(7);
          expect(pool.stats().cancelled).toBe(1);
        } finally {
          await pool.shutdown();
        }
      });

      it('aborting a queued task removes it from the queue', async () => {
        const pool = make({ concurrency: 1 });
        const controller = new AbortController();
        try {
          const running = pool.submit('sleep', [100, 'first']);
          const queued = pool.submit('echo', ['never'], { signal: controller.signal });
          expect(pool.stats().queued).toBe(1);
          controller.abort();
          expect((await rejection(queued)).name).toBe('AbortError');
          expect(pool.stats().queued).toBe(0);
          expect(await running).toBe('first');
        } finally {
          await pool.shutdown();
        }
      });

      it('an already-aborted signal rejects with its reason and harms nothing', async () => {
        const pool = make({ concurrency: 1 });
        const reason = new Error('too late');
        try {
          expect(await rejection(pool.submit('echo', [1], { signal: AbortSignal.abort(reason) }))).toBe(
            reason,
          );
          expect(pool.stats()).toEqual({ queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 });
          expect(await pool.submit('echo', [2])).toBe(2);
        } finally {
          await pool.shutdown();
        }
      });

      if (faults.stuckLoop) {
        it('a stuck synchronous loop past its timeout has its worker replaced', async () => {
          const pool = make({ concurrency: 1 });
          try {
            const before = await pool.submit('workerIdentity', []);
            const started = performance.now();
            expect(await rejection(pool.submit('spin', [60_000], { timeout: 100 }))).toBeInstanceOf(
              TimeoutError,
            );
            expect(performance.now() - started).toBeLessThan(5_000);
            const after = await within(
              10_000,
              pool.submit('workerIdentity', []),
              'a task after the stuck one',
            );
            expect(after).not.toBe(before);
          } finally {
            await within(10_000, pool.shutdown(), 'shutdown');
          }
        });
      } else {
        it('a stuck task keeps its slot until it really settles (it cannot be preempted)', async () => {
          const pool = make({ concurrency: 1 });
          try {
            const started = performance.now();
            expect(await rejection(pool.submit('sleep', [300, 'late'], { timeout: 20 }))).toBeInstanceOf(
              TimeoutError,
            );
            expect(pool.stats().running).toBe(1);
            await pool.submit('echo', [1]);
            expect(performance.now() - started).toBeGreaterThanOrEqual(250);
          } finally {
            await pool.shutdown();
          }
        });
      }
    });

    describe('errors', () => {
      it("a task's error keeps its name, message, stack, code, own properties and cause", async () => {
        const pool = make({ concurrency: 1 });
        try {
          const error = await rejection(pool.submit('failWithDetails', ['email']));
          expect(error).toBeInstanceOf(Error);
          expect(error.name).toBe('ValidationError');
          expect(error.message).toBe('invalid email');
          expect(error.code).toBe('E_INVALID');
          expect(error.details).toEqual({ field: 'email' });
          expect(error.stack).toContain('failWithDetails');
          expect(error.cause).toBeInstanceOf(RangeError);
          expect(error.cause.message).toBe('out of range');
          const plain = await rejection(pool.submit('fail', ['plain', { code: 'E_PLAIN', errno: -2 }]));
          expect(plain).toMatchObject({ name: 'Error', message: 'plain', code: 'E_PLAIN', errno: -2 });
        } finally {
          await pool.shutdown();
        }
      });

      if (faults.crash) {
        it('a worker that exits fails only its task, with WorkerCrashedError, and is replaced', async () => {
          const pool = make({ concurrency: 2 });
          try {
            const neighbour = pool.submit('sleep', [300, 'survived']);
            const error = await rejection(pool.submit('exitWorker', [3]));
            expect(error).toBeInstanceOf(WorkerCrashedError);
            expect(error.name).toBe('WorkerCrashedError');
            expect(error.exitCode).toBe(3);
            expect(await neighbour).toBe('survived');
            expect(await pool.submit('echo', ['after'])).toBe('after');
          } finally {
            await within(10_000, pool.shutdown(), 'shutdown');
          }
        });

        it('an uncaught exception in a callback fails only the running task', async () => {
          const pool = make({ concurrency: 1 });
          try {
            const error = await rejection(pool.submit('throwInCallback', []));
            expect(error).toBeInstanceOf(WorkerCrashedError);
            expect(String(error.message)).toContain('thrown in a callback');
            expect(await pool.submit('addOne', [1])).toBe(2);
          } finally {
            await within(10_000, pool.shutdown(), 'shutdown');
          }
        });
      }

      if (faults.outOfMemory) {
        const limits = faults.outOfMemory;
        it('a worker that runs out of memory fails only its task, and is replaced', async () => {
          const pool = make({ concurrency: 1, ...limits });
          try {
            expect(await rejection(pool.submit('exhaustMemory', []))).toBeInstanceOf(WorkerCrashedError);
            expect(await pool.submit('addOne', [41])).toBe(42);
          } finally {
            await within(10_000, pool.shutdown(), 'shutdown');
          }
        });
      }

      if (faults.serialization) {
        it('an argument or result that cannot be cloned rejects with SerializationError, harming nothing', async () => {
          const pool = make({ concurrency: 1 });
          try {
            const badArgument = await rejection(pool.submit('echo', [() => 1]));
            expect(badArgument).toBeInstanceOf(SerializationError);
            const badResult = await rejection(pool.submit('unclonableResult', []));
            expect(badResult).toBeInstanceOf(SerializationError);
            expect(await pool.submit('echo', [{ still: 'fine' }])).toEqual({ still: 'fine' });
          } finally {
            await pool.shutdown();
          }
        });
      }
    });

    describe('bad input', () => {
      it('an unknown task name rejects with an error naming it', async () => {
        const pool = make({ concurrency: 1 });
        try {
          const error = await rejection(pool.submit('noSuchTask' as any, []));
          expect(error).toBeInstanceOf(TypeError);
          expect(error.message).toMatch(/unknown task 'noSuchTask'/);
          const notFn = await rejection(pool.submit('notAFunction' as any, []));
          expect(notFn.message).toMatch(/'notAFunction' is not a function/);
          expect(await pool.submit('echo', [1])).toBe(1);
        } finally {
          await pool.shutdown();
        }
      });

      it('a task module that fails to load is reported on submit', async () => {
        const pool = subject.createExecutor(brokenModuleUrl, { concurrency: 1 });
        try {
          const error = await rejection(pool.submit('anything', []));
          expect(error.message).toMatch(/could not load task module/);
          expect(error.message).toMatch(/fails while loading/);
        } finally {
          await within(10_000, pool.shutdown(), 'shutdown');
        }
        const missing = subject.createExecutor(new URL('./no-such-module.js', conformanceTasksUrl), {
          concurrency: 1,
        });
        try {
          expect((await rejection(missing.submit('anything', []))).message).toMatch(
            /could not load task module/,
          );
        } finally {
          await within(10_000, missing.shutdown(), 'shutdown');
        }
      });

      it('invalid options throw at once, naming the option', () => {
        for (const concurrency of [0, -1, 1.5, Number.NaN, '2']) {
          expect(() => make({ concurrency: concurrency as number })).toThrow(
            /concurrency must be a positive integer/,
          );
        }
        expect(() => make({ timeout: -5 })).toThrow(/timeout must be a positive number/);
        expect(() => make({ maxQueue: -1 })).toThrow(/maxQueue/);
        expect(() => make({ concurency: 2 } as any)).toThrow(/unknown option 'concurency'/);
        expect(() => subject.createExecutor('relative/tasks.js')).toThrow(/absolute path/);
      });

      it('invalid arguments to submit and map reject, naming the problem', async () => {
        const pool = make({ concurrency: 1 });
        try {
          expect((await rejection(pool.submit('echo', 1 as any))).message).toMatch(/args must be an array/);
          expect((await rejection(pool.submit('echo', [1], { timeout: -1 }))).message).toMatch(
            /timeout must be/,
          );
          expect(() => pool.map('addOne', 5 as any)).toThrow(/iterable/);
          expect(() => pool.map('addOne', [1], { chunkSize: 0 })).toThrow(/chunkSize/);
        } finally {
          await pool.shutdown();
        }
      });

      it('maxQueue bounds the queue: submit beyond it rejects with QueueFullError', async () => {
        const pool = make({ concurrency: 1, maxQueue: 2 });
        try {
          const running = pool.submit('sleep', [100, 0]);
          const queued = [pool.submit('echo', [1]), pool.submit('echo', [2])];
          const error = await rejection(pool.submit('echo', [3]));
          expect(error).toBeInstanceOf(QueueFullError);
          expect(error.maxQueue).toBe(2);
          expect(await Promise.all([running, ...queued])).toEqual([0, 1, 2]);
        } finally {
          await pool.shutdown();
        }
      });
    });

    describe('shutdown', () => {
      it('waits for running and queued work, then refuses new work with ExecutorClosedError', async () => {
        const pool = make({ concurrency: 1 });
        const running = pool.submit('sleep', [100, 'ran']);
        const queued = pool.submit('echo', ['queued ran']);
        await pool.shutdown();
        expect(await running).toBe('ran');
        expect(await queued).toBe('queued ran');
        expect(await rejection(pool.submit('echo', [1]))).toBeInstanceOf(ExecutorClosedError);
        expect(pool.stats()).toMatchObject({ queued: 0, running: 0, completed: 2 });
      });

      it('cancelPending rejects queued work with CancelledError and lets running work finish', async () => {
        const pool = make({ concurrency: 1 });
        const running = pool.submit('sleep', [100, 'ran']);
        const queued = rejection(pool.submit('echo', ['never']));
        await pool.shutdown({ cancelPending: true });
        expect(await running).toBe('ran');
        expect(await queued).toBeInstanceOf(CancelledError);
        expect(pool.stats()).toMatchObject({ completed: 1, cancelled: 1 });
      });

      it('Symbol.asyncDispose shuts down, and shutdown is idempotent', async () => {
        const pool = make({ concurrency: 1 });
        const running = pool.submit('sleep', [50, 'ok']);
        await pool[Symbol.asyncDispose]();
        expect(await running).toBe('ok');
        await pool.shutdown();
        await pool.shutdown({ cancelPending: true });
      });
    });

    describe('asCompleted', () => {
      it('yields results as they settle', async () => {
        const pool = make({ concurrency: 3 });
        try {
          // Start every worker first, so that start-up times do not reorder the finishes.
          await Promise.all([1, 2, 3].map(() => pool.submit('sleep', [50, 0])));
          const order: string[] = [];
          const tasks = [
            pool.submit('sleep', [500, 'slow']),
            pool.submit('sleep', [1, 'fast']),
            pool.submit('sleep', [250, 'medium']),
          ];
          for await (const r of asCompleted(tasks)) order.push(r as string);
          expect(order).toEqual(['fast', 'medium', 'slow']);
        } finally {
          await pool.shutdown();
        }
      });
    });
  });
}

/** The largest number of intervals that overlap at any instant. */
export function maxOverlap(intervals: readonly (readonly [number, number])[]): number {
  const events = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  // Ends sort before starts at the same instant: a task that ends as another starts is not overlap.
  events.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta!;
    peak = Math.max(peak, current);
  }
  return peak;
}
