import type { RowIdentity } from './measure.js';
import type { PythonInfo } from './python.js';
import { type Backend, type BenchMode, isBackend, type Suite, type SuiteId } from './types.js';

/** What a suite is given to run. */
export interface SuiteContext {
  mode: BenchMode;
  /** `os.availableParallelism()` */
  cores: number;
  /** Measure Node's rows. */
  node: boolean;
  /** Python's rows are wanted (measured when `python` is not null, skipped rows otherwise). */
  pythonRows: boolean;
  python: PythonInfo | null;
  /** The backends whose rows are wanted (all three unless the run was narrowed with `backends`). */
  backends: ReadonlySet<Backend>;
  signal?: AbortSignal;
  /** One step (a sample) done. */
  tick(label: string): void;
}

/**
 * A suite: one file in src/suites/ exporting one of these, registered in src/suites/index.ts.
 * Its experiments' ids start with its id; `run` measures only `ctx.backends`' rows.
 */
export interface SuiteDefinition {
  id: SuiteId;
  title: string;
  /** Has Python rows (measured with the `python` selection). */
  python?: boolean;
  /** How many `tick`s `run` will make, for progress bars. */
  steps(ctx: SuiteContext): number;
  run(ctx: SuiteContext): Promise<Suite>;
}

/** A Node contender in a timed comparison. */
export interface Contender {
  id: RowIdentity;
  /** Untimed: create pools, start workers. */
  setup?(): Promise<void>;
  /** Untimed: one small run (JIT, connections, module loading). */
  warmup?(): Promise<void>;
  /** Untimed, before each timed run: e.g. create a fresh pool whose first batch is measured. */
  prepare?(): Promise<void>;
  /** Timed. */
  run(): Promise<unknown>;
  /** Untimed, after each timed run: e.g. shut that fresh pool down. */
  cleanup?(): Promise<void>;
  /** Untimed; always called once setup was. */
  teardown?(): Promise<void>;
}

/** The contenders whose backend is wanted; those with a model that is no backend (sequential) stay. */
export function wanted<T extends { id: RowIdentity }>(ctx: SuiteContext, items: readonly T[]): T[] {
  return items.filter((c) => !isBackend(c.id.model) || ctx.backends.has(c.id.model));
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

/**
 * Sets every contender up, warms each once, then runs `reps` repetitions, each timing every
 * contender once, in an order rotated by one per repetition. No garbage collection is forced
 * between timed runs, as in a program that runs tasks: each contender pays for the garbage it
 * makes, whenever V8 collects it. Resolves with the samples in ms, in the contenders' order.
 */
export async function timeContenders(
  ctx: SuiteContext,
  contenders: readonly Contender[],
  reps: number,
  stepLabel: (c: Contender) => string,
): Promise<number[][]> {
  const samples = contenders.map(() => [] as number[]);
  const ready: Contender[] = [];
  try {
    for (const c of contenders) {
      throwIfAborted(ctx.signal);
      await c.setup?.();
      ready.push(c);
    }
    for (const c of contenders) {
      throwIfAborted(ctx.signal);
      await c.warmup?.();
    }
    for (let rep = 0; rep < reps; rep++) {
      const k = rep % contenders.length;
      const order = [...contenders.slice(k), ...contenders.slice(0, k)];
      for (const c of order) {
        throwIfAborted(ctx.signal);
        await c.prepare?.();
        const started = performance.now();
        await c.run();
        samples[contenders.indexOf(c)]!.push(performance.now() - started);
        await c.cleanup?.();
        ctx.tick(stepLabel(c));
      }
    }
  } finally {
    for (const c of ready.reverse()) {
      try {
        await c.teardown?.();
      } catch {
        // A pool that fails to shut down does not change the samples already taken.
      }
    }
  }
  return samples;
}

export const PYTHON_ABSENT = 'python3 was not found, so Python was not measured';
