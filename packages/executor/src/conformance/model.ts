/**
 * The model behind the property tests: random programs of submit, map, abort, timeout, failing
 * tasks and shutdown, what each task may end as, and the check of every outcome against it.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  failedWith,
  isCancelled,
  isClosed,
  isTimeout,
  sameAs,
  sleep,
  type Watched,
  watch,
  within,
} from './helpers.js';
import { type ConformanceSubject, conformanceTasksUrl, type Executed } from './subject.js';

/** What one submitted task may legitimately end as, given what the program did to it. */
interface Expectation {
  fulfilled?: unknown;
  rejectedWith: ((error: unknown) => boolean)[];
}

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

export const program = fc.record({
  concurrency: fc.integer({ min: 1, max: 4 }),
  steps: fc.array(step, { minLength: 1, maxLength: 14 }),
  shutdown: fc.constantFrom('graceful', 'cancelPending'),
  submitAfterShutdown: fc.boolean(),
});

export type Program = typeof program extends fc.Arbitrary<infer T> ? T : never;

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
    // Guarantee 8: an ordered map that failed as planned yielded every result ahead of the failure.
    if (failedAsPlanned && s.ordered) expect(run.results).toEqual(expected.slice(0, s.failAt!));
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

export async function runProgram(subject: ConformanceSubject, p: Program): Promise<void> {
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
