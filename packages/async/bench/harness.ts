/**
 * Timing: warm-up, repetitions with the contestants' order rotated, a minor GC before each
 * measurement, median and min–max. Shared by compare.ts and its child processes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type BenchTask, type ContestantId, contestant } from './contestants.js';

/** One suite: `n` calls of `task` at `concurrency`, for each contestant. */
export interface SuiteSpec {
  key: string;
  title: string;
  task: BenchTask;
  n: number;
  concurrency: number;
  contestants: ContestantId[];
  reps: number;
  /** Tasks per contestant in the untimed warm-up run. */
  warmupN: number;
}

export interface ContestantResult {
  id: ContestantId;
  label: string;
  /** Tasks per second (wall clock), one per repetition, in repetition order. */
  samples: number[];
  median: number;
  min: number;
  max: number;
  /**
   * CPU time of the whole process (every thread: GC helpers included) per task, in µs, one per
   * repetition. Less disturbed than wall time by other programs on a busy machine.
   */
  cpuMicrosPerTask: number[];
  cpuMedian: number;
}

export interface SuiteResult extends Omit<SuiteSpec, 'contestants'> {
  results: ContestantResult[];
}

type Collect = (options?: { type: 'major' | 'minor' }) => void;
let collect: Collect | null = null;

function collector(): Collect {
  if (collect === null) {
    if (typeof globalThis.gc !== 'function') {
      setFlagsFromString('--expose-gc');
      globalThis.gc = runInNewContext('gc') as NodeJS.GCFunction;
    }
    collect = globalThis.gc as Collect;
  }
  return collect;
}

/** A full garbage collection: for a memory baseline. */
export function fullGc(): void {
  collector()();
}

/**
 * A young-generation collection before each timed run, so that the previous contestant's fresh
 * garbage is not collected on the next one's time. Not a full one: a forced full GC also resets
 * the heap's growth, so every run would start cold and pay for growing it again (it more than
 * doubled the cost of a short run here), which is not how a program that submits tasks runs, nor
 * how the reference numbers of issue 2 were measured.
 */
export function minorGc(): void {
  collector()({ type: 'minor' });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Sample {
  tasksPerSecond: number;
  cpuMicrosPerTask: number;
}

/** Runs one contestant once. */
async function runOnce(id: ContestantId, spec: SuiteSpec, n: number): Promise<Sample> {
  const prepared = contestant(id).prepare(spec.task, n, spec.concurrency);
  minorGc();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const seen = await prepared.run();
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await prepared.dispose();
  if (seen !== n) throw new Error(`${id} on ${spec.key}: saw ${seen} results of ${n} tasks`);
  return { tasksPerSecond: n / (elapsed / 1000), cpuMicrosPerTask: (cpu.user + cpu.system) / n };
}

export async function measureSuite(spec: SuiteSpec, progress?: (line: string) => void): Promise<SuiteResult> {
  const samples = new Map<ContestantId, Sample[]>(spec.contestants.map((id) => [id, []]));
  for (const id of spec.contestants) await runOnce(id, spec, spec.warmupN);
  for (let rep = 0; rep < spec.reps; rep++) {
    // Rotate the order, so that no contestant always runs first (cold caches) or last (most garbage).
    const k = spec.contestants.length;
    for (let i = 0; i < k; i++) {
      const id = spec.contestants[(i + rep) % k]!;
      samples.get(id)!.push(await runOnce(id, spec, spec.n));
    }
    progress?.(`${spec.key}: repetition ${rep + 1}/${spec.reps}`);
  }
  const { contestants: _, ...rest } = spec;
  return {
    ...rest,
    results: spec.contestants.map((id) => {
      const values = samples.get(id)!.map((sample) => sample.tasksPerSecond);
      const cpu = samples.get(id)!.map((sample) => sample.cpuMicrosPerTask);
      return {
        id,
        label: contestant(id).label,
        samples: values,
        median: median(values),
        min: Math.min(...values),
        max: Math.max(...values),
        cpuMicrosPerTask: cpu,
        cpuMedian: median(cpu),
      };
    }),
  };
}

/**
 * The median over repetitions of a/b within the same repetition: the two ran seconds apart, so
 * the machine's drift between repetitions cancels out.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, i) => value / b[i]!));
}
