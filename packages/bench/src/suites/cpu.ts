import { createExecutor as createAsync } from '@forkroad/async';
import type { Executor } from '@forkroad/executor';
import { createExecutor as createProcesses } from '@forkroad/processes';
import { createExecutor as createThreads } from '@forkroad/threads';
import {
  type Contender,
  PYTHON_ABSENT,
  type SuiteContext,
  type SuiteDefinition,
  timeContenders,
  wanted,
} from '../context.js';
import { loadAverage } from '../machine.js';
import { measuredRow, type RowIdentity, round, setRatios, skippedRow } from '../measure.js';
import { runPythonTimed } from '../python.js';
import * as cpuTasks from '../tasks/cpu.js';
import type { BenchMode, Experiment, Row, Suite } from '../types.js';

type CpuTasks = typeof cpuTasks;

/** The guide's numbers: five primes near 10^14 and one composite near 10^15 (one prime twice). */
export const PRIME_NUMBERS: readonly number[] = [
  112272535095293, 112582705942171, 115280095190773, 115797848077099, 1099726899285419, 115280095190773,
];

/** Smoke mode: primes near 10^9, a few milliseconds in all. */
export const SMOKE_NUMBERS = [1000000007, 998244353, 1000000009, 999999937, 1000000011, 999999929];

/** For warm-up: small enough to cost nothing, large enough to reach the loop. */
export const WARM_NUMBERS = [1000003, 1000033, 1000037, 999983];

export const CPU_SIZES: Record<
  BenchMode,
  { numbers: readonly number[]; repeat: number; reps: number; pythonReps: number }
> = {
  smoke: { numbers: SMOKE_NUMBERS, repeat: 1, reps: 1, pythonReps: 1 },
  quick: { numbers: PRIME_NUMBERS, repeat: 1, reps: 2, pythonReps: 1 },
  full: { numbers: PRIME_NUMBERS, repeat: 4, reps: 5, pythonReps: 5 },
};

const cpuModule = new URL('../tasks/cpu.js', import.meta.url);

/** Thread counts measured: 1, 2, 4, … up to the number of cores, and the number of cores. */
export function threadCounts(cores: number): number[] {
  const counts: number[] = [];
  for (let w = 1; w < cores; w *= 2) counts.push(w);
  counts.push(cores);
  return counts;
}

interface NodeVariant {
  id: RowIdentity;
  workers: number;
  make?: () => Executor<CpuTasks>;
}

function nodeVariants(cores: number): NodeVariant[] {
  const variants: NodeVariant[] = [
    { id: { label: 'sequential', runtime: 'node', model: 'sequential', tool: 'for … of' }, workers: 1 },
    {
      id: { label: 'async', runtime: 'node', model: 'async', tool: '@forkroad/async' },
      workers: 1,
      make: () => createAsync<CpuTasks>(cpuTasks, { concurrency: cores }),
    },
  ];
  for (const w of threadCounts(cores)) {
    variants.push({
      id: { label: `threads ×${w}`, runtime: 'node', model: 'threads', tool: '@forkroad/threads' },
      workers: w,
      make: () => createThreads<CpuTasks>(cpuModule, { concurrency: w }),
    });
  }
  variants.push({
    id: { label: `processes ×${cores}`, runtime: 'node', model: 'processes', tool: '@forkroad/processes' },
    workers: cores,
    make: () => createProcesses<CpuTasks>(cpuModule, { concurrency: cores, execArgv: [] }),
  });
  return variants;
}

function pythonIds(cores: number): { id: RowIdentity; kind: string; workers: number }[] {
  return [
    {
      id: { label: 'sequential', runtime: 'python', model: 'sequential', tool: 'for loop' },
      kind: 'cpu-sequential',
      workers: 1,
    },
    {
      id: { label: `threads ×${cores}`, runtime: 'python', model: 'threads', tool: 'ThreadPoolExecutor.map' },
      kind: 'cpu-threads',
      workers: cores,
    },
    {
      id: {
        label: `processes ×${cores}`,
        runtime: 'python',
        model: 'processes',
        tool: 'ProcessPoolExecutor.map',
      },
      kind: 'cpu-processes',
      workers: cores,
    },
  ];
}

function contender(variant: NodeVariant, numbers: number[], expected: number): Contender {
  const check = (results: boolean[]) => {
    const primes = results.filter(Boolean).length;
    if (primes !== expected)
      throw new Error(`cpu ${variant.id.label}: ${primes} primes, expected ${expected}`);
  };
  if (!variant.make) {
    return {
      id: variant.id,
      warmup: async () => {
        for (let i = 0; i < 20; i++) for (const n of WARM_NUMBERS) cpuTasks.isPrime(n);
      },
      run: async () => check(numbers.map((n) => cpuTasks.isPrime(n))),
    };
  }
  let pool: Executor<CpuTasks> | null = null;
  const all = async (inputs: readonly number[]) => {
    const results: boolean[] = [];
    for await (const r of pool!.map('isPrime', inputs)) results.push(r);
    return results;
  };
  return {
    id: variant.id,
    setup: async () => {
      pool = variant.make!();
    },
    // As many warm-up tasks at once as there are workers: every worker starts before timing.
    warmup: async () => {
      await all(Array.from({ length: Math.max(variant.workers, 4) * 5 }, (_, i) => WARM_NUMBERS[i % 4]!));
    },
    run: async () => check(await all(numbers)),
    teardown: async () => {
      await pool?.shutdown();
    },
  };
}

/**
 * Adds to each measured row the speedup of its fastest sample over sequential's fastest (the
 * samples least disturbed by other work on the machine) and, to each parallel row, the speedup's
 * share of the ideal, min(workers, cores).
 */
function addDetails(rows: Row[], cores: number): void {
  for (const row of rows) {
    if (row.ratio === undefined) continue;
    const base = rows.find(
      (r) => r.runtime === row.runtime && r.label === 'sequential' && r.status !== 'skipped',
    );
    if (base && row.min > 0) row.details = { ...row.details, speedupOfFastest: round(base.min / row.min, 3) };
    const workers = row.details?.workers;
    if (typeof workers !== 'number' || row.model === 'sequential' || row.model === 'async') continue;
    const ideal = Math.min(workers, cores);
    row.details = { ...row.details, idealSpeedup: ideal, efficiency: round(row.ratio / ideal, 3) };
  }
}

export const cpuSuite: SuiteDefinition = {
  id: 'cpu',
  python: true,
  title: 'CPU-bound: primality by trial division',
  steps(ctx) {
    const { reps, pythonReps } = CPU_SIZES[ctx.mode];
    return (
      (ctx.node ? wanted(ctx, nodeVariants(ctx.cores)).length * reps : 0) +
      (ctx.pythonRows && ctx.python ? 3 * pythonReps : 0)
    );
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    const { numbers: base, repeat, reps, pythonReps } = CPU_SIZES[ctx.mode];
    const numbers = Array.from({ length: repeat }, () => base).flat();
    const expected = numbers.filter((n) => cpuTasks.isPrime(n)).length;
    // Parallel rows need idle cores: other work on the machine shows up as a smaller speedup.
    const loadBefore = loadAverage()[0]!;
    const rows: Row[] = [];

    if (ctx.node) {
      const variants = wanted(ctx, nodeVariants(ctx.cores));
      const contenders = variants.map((v) => contender(v, numbers, expected));
      const samples = await timeContenders(ctx, contenders, reps, (c) => `node ${c.id.label}`);
      variants.forEach((v, i) => {
        rows.push(measuredRow({ ...v.id, details: { workers: v.workers } }, samples[i]!));
      });
    }

    if (ctx.pythonRows) {
      const ids = pythonIds(ctx.cores);
      if (ctx.python) {
        const samples = await runPythonTimed(
          ctx.python,
          {
            reps: pythonReps,
            warmup: true,
            variants: ids.map((p) => ({
              id: p.id.label,
              kind: p.kind,
              numbers,
              warmNumbers: WARM_NUMBERS,
              workers: p.workers,
            })),
          },
          (id) => ctx.tick(`python ${id}`),
          ctx.signal,
        );
        for (const p of ids)
          rows.push(measuredRow({ ...p.id, details: { workers: p.workers } }, samples.get(p.id.label)!));
      } else {
        for (const p of ids)
          rows.push(skippedRow({ ...p.id, details: { workers: p.workers } }, PYTHON_ABSENT));
      }
    }

    const loadAfter = loadAverage()[0]!;
    const busy =
      loadBefore >= 1
        ? [
            `The machine was busy: its load average (1 min) was ${loadBefore} when this experiment started and ${loadAfter} when it ended, on ${ctx.cores} cores. A sequential loop needs one free core and still gets it; the parallel rows need all of them and share them with that other work, so their speedups here understate what they give on an idle machine.`,
          ]
        : [];
    setRatios(rows, 'sequential', (row, base) => base.median / row.median);
    addDetails(rows, ctx.cores);

    const experiment: Experiment = {
      id: 'cpu-primes',
      title: `Primality of ${numbers.length} numbers by trial division`,
      description:
        ctx.mode === 'smoke'
          ? `Smoke mode: ${numbers.length} primes near 10⁹ (the guide's numbers take seconds each).`
          : `The guide's numbers (${base.join(', ')})${repeat > 1 ? `, repeated ${repeat} times` : ''}: each tested by trial division up to its square root, one task per number.`,
      params: {
        numbers: numbers.length,
        repeat,
        cores: ctx.cores,
        reps: ctx.node ? reps : pythonReps,
        ...(ctx.pythonRows && ctx.python ? { pythonReps } : {}),
        loadAverageBefore: loadBefore,
      },
      unit: 'ms',
      baseline: 'sequential',
      ratioLabel: 'speedup',
      rows,
      notes: [
        `The ratio is the speedup of the median over the same runtime's sequential loop; details.efficiency divides it by the ideal, min(workers, ${ctx.cores} cores); details.speedupOfFastest compares the fastest samples instead, the ones least disturbed by other work on the machine.`,
        "Node's worker threads run JavaScript in parallel (one V8 isolate each), so they scale with cores like processes do; @forkroad/async runs every task on the one event loop, one at a time, so it does the sequential loop's work on the same core: a difference between the two rows (their medians, or their fastest samples in details.speedupOfFastest) is noise from other work on the machine, not a speedup.",
        "Python's ThreadPoolExecutor cannot run Python bytecode in parallel under the GIL, so it gains nothing over the loop, and handing the GIL from thread to thread can make it slower (its ratio says by how much); ProcessPoolExecutor can. Python's asyncio is not measured here: like Node's async row, it runs one task at a time.",
        'Pools are created and every worker started before timing; one warm-up run precedes the timed repetitions, whose order is rotated. Each run checks how many of the numbers are prime.',
        ...busy,
        ...(ctx.pythonRows && !ctx.python ? [`${PYTHON_ABSENT}.`] : []),
        ...(ctx.mode === 'quick' ? ["quick mode: the guide's six numbers once, not four times."] : []),
      ],
    };
    return {
      id: 'cpu',
      title: cpuSuite.title,
      status: 'ok',
      ...(ctx.node ? {} : { note: 'Python rows only.' }),
      experiments: [experiment],
    };
  },
};
