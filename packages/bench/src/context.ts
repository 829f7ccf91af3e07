import { minorGc, type RowIdentity } from './measure.js';
import type { PythonInfo } from './python.js';
import type { BenchMode, Suite, SuiteId } from './types.js';

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
  signal?: AbortSignal;
  /** One step (a sample) done. */
  tick(label: string): void;
}

export interface SuiteDefinition {
  id: SuiteId;
  title: string;
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
  /** Timed. */
  run(): Promise<unknown>;
  /** Untimed; always called once setup was. */
  teardown?(): Promise<void>;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

/**
 * Sets every contender up, warms each once, then runs `reps` repetitions, each timing every
 * contender once, in an order rotated by one per repetition, with a young-generation GC before
 * each sample (see minorGc). Resolves with the samples in ms, in the contenders' order.
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
        minorGc();
        const started = performance.now();
        await c.run();
        samples[contenders.indexOf(c)]!.push(performance.now() - started);
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
