/**
 * pools: what a freshly created threads or processes pool gives its user at once, against the
 * peers with their eager workers: the time to a first result, and the CPU speedup of the first
 * batch (issue 10's "workers ready for the first batch").
 */
import { type Contender, type SuiteContext, type SuiteDefinition, timeContenders } from '../context.js';
import { measuredRow, setRatios } from '../measure.js';
import {
  FORKROAD_TOOL,
  forkroadPool,
  type ParallelBackend,
  PEERS,
  type PeerPool,
  REFERENCE_PEER,
} from '../pools.js';
import * as cpuTasks from '../tasks/cpu.js';
import type { BenchMode, Experiment, Suite } from '../types.js';
import { PRIME_NUMBERS, SMOKE_NUMBERS, WARM_NUMBERS } from './cpu.js';

export const POOLS_SIZES: Record<BenchMode, { repeat: number; batchReps: number; startupReps: number }> = {
  smoke: { repeat: 1, batchReps: 1, startupReps: 1 },
  quick: { repeat: 4, batchReps: 3, startupReps: 5 },
  full: { repeat: 4, batchReps: 7, startupReps: 9 },
};

const PARALLEL: readonly ParallelBackend[] = ['threads', 'processes'];

/** A pool under one interface: forkroad's executor or a peer's. */
type Make = () => PeerPool;

function contendersOf(backend: ParallelBackend, workers: number): { label: string; make: Make }[] {
  const forkroad = FORKROAD_TOOL[backend];
  return [
    {
      label: forkroad,
      make: () => {
        const pool = forkroadPool(backend, 'cpu', workers);
        return { run: (name, arg) => pool.submit(name, [arg]), close: () => pool.shutdown() };
      },
    },
    ...PEERS.filter((p) => p.backend === backend).map((peer) => ({
      label: peer.label,
      make: () => peer.create('cpu', workers),
    })),
  ];
}

function numbersOf(mode: BenchMode): number[] {
  const base = mode === 'smoke' ? SMOKE_NUMBERS : PRIME_NUMBERS;
  return Array.from({ length: POOLS_SIZES[mode].repeat }, () => base).flat();
}

/** Create a pool, run one task, await it: every sample a fresh pool. */
function startupContender(backend: ParallelBackend, workers: number, label: string, make: Make): Contender {
  let pool: PeerPool | null = null;
  return {
    id: { label, runtime: 'node', model: backend, tool: label, details: { workers } },
    // Loads the pool's code and the task file once in this process, as any earlier use would.
    warmup: async () => {
      const warm = make();
      await warm.run('isPrime', WARM_NUMBERS[0]!);
      await warm.close();
    },
    run: async () => {
      pool = make();
      if ((await pool.run('isPrime', WARM_NUMBERS[0]!)) !== true) throw new Error(`${label}: wrong answer`);
    },
    cleanup: async () => {
      await pool?.close();
    },
  };
}

/** A fresh pool, one warm-up task awaited (untimed), then the batch (timed), as a user's first batch. */
function firstBatchContender(
  backend: ParallelBackend,
  workers: number,
  label: string,
  make: Make,
  numbers: readonly number[],
  primes: number,
): Contender {
  let pool: PeerPool | null = null;
  return {
    id: { label, runtime: 'node', model: backend, tool: label, details: { workers } },
    prepare: async () => {
      pool = make();
      await pool.run('isPrime', WARM_NUMBERS[0]!);
    },
    run: async () => {
      const results = await Promise.all(numbers.map((n) => pool!.run('isPrime', n)));
      if (results.filter(Boolean).length !== primes) throw new Error(`${label}: wrong number of primes`);
    },
    cleanup: async () => {
      await pool?.close();
    },
  };
}

function sequential(numbers: readonly number[], primes: number): Contender {
  return {
    id: { label: 'sequential', runtime: 'node', model: 'sequential', tool: 'for … of' },
    warmup: async () => {
      for (const n of WARM_NUMBERS) cpuTasks.isPrime(n);
    },
    run: async () => {
      if (numbers.filter((n) => cpuTasks.isPrime(n)).length !== primes) throw new Error('sequential');
    },
  };
}

function plan(ctx: SuiteContext) {
  const numbers = numbersOf(ctx.mode);
  const primes = numbers.filter((n) => cpuTasks.isPrime(n)).length;
  const workers = ctx.cores;
  return PARALLEL.filter((b) => ctx.backends.has(b)).map((backend) => {
    const pools = contendersOf(backend, workers);
    return {
      backend,
      startup: pools.map((p) => startupContender(backend, workers, p.label, p.make)),
      firstBatch: [
        sequential(numbers, primes),
        ...pools.map((p) => firstBatchContender(backend, workers, p.label, p.make, numbers, primes)),
      ],
      numbers,
      primes,
      workers,
    };
  });
}

export const poolsSuite: SuiteDefinition = {
  id: 'pools',
  title: 'Pools: start-up and the first batch',
  // Node only: planned only when selected, so always with Node's rows.
  steps(ctx) {
    const { batchReps, startupReps } = POOLS_SIZES[ctx.mode];
    return plan(ctx).reduce(
      (sum, p) => sum + p.startup.length * startupReps + p.firstBatch.length * batchReps,
      0,
    );
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    const { batchReps, startupReps } = POOLS_SIZES[ctx.mode];
    const experiments: Experiment[] = [];
    for (const p of plan(ctx)) {
      const reference = REFERENCE_PEER[p.backend];
      const startSamples = await timeContenders(ctx, p.startup, startupReps, (c) => `start-up ${c.id.label}`);
      const startRows = p.startup.map((c, i) => measuredRow(c.id, startSamples[i]!));
      setRatios(startRows, reference, (row, base) => row.median / base.median);
      experiments.push({
        id: `pools-startup-${p.backend}`,
        title: `Start-up of a ${p.backend} pool: create it, run one task, await it`,
        description: `A fresh pool of ${p.workers} ${p.backend === 'threads' ? 'worker threads' : 'child processes'} for every sample: the time from creating it to the first result.`,
        params: { workers: p.workers, reps: startupReps },
        unit: 'ms',
        baseline: reference,
        ratioLabel: `× ${reference}'s time`,
        rows: startRows,
        notes: [
          `The ratio is the time over ${reference}'s: below 1 is faster. The pool is shut down after each sample, untimed.`,
          'No garbage collection is forced between timed runs; the order of the contenders is rotated each repetition.',
        ],
      });
      const batchSamples = await timeContenders(
        ctx,
        p.firstBatch,
        batchReps,
        (c) => `first batch ${c.id.label}`,
      );
      const batchRows = p.firstBatch.map((c, i) => measuredRow(c.id, batchSamples[i]!));
      setRatios(batchRows, 'sequential', (row, base) => base.median / row.median);
      experiments.push({
        id: `pools-first-batch-${p.backend}`,
        title: `First batch of a fresh ${p.backend} pool: ${p.numbers.length} primality checks`,
        description: `For every sample a fresh pool of ${p.workers} workers is created and one warm-up task awaited (untimed), then the guide's numbers (${p.numbers.length} checks, ${p.primes} prime) are submitted at once and awaited (timed). The peers start every worker at creation (minThreads / minWorkers).`,
        params: { numbers: p.numbers.length, workers: p.workers, reps: batchReps },
        unit: 'ms',
        baseline: 'sequential',
        ratioLabel: 'speedup',
        rows: batchRows,
        notes: [
          `The ratio is the speedup over the sequential loop in this thread; the ideal is ${Math.min(p.workers, ctx.cores)}. A pool that starts its other workers only when the batch arrives pays for their start-up inside the batch.`,
          'No garbage collection is forced between timed runs; the order of the contenders is rotated each repetition.',
        ],
      });
    }
    return { id: 'pools', title: poolsSuite.title, status: 'ok', experiments };
  },
};
