import { createExecutor as createAsync } from '@forkroad/async';
import type { Executor } from '@forkroad/executor';
import { createExecutor as createProcesses } from '@forkroad/processes';
import { createExecutor as createThreads } from '@forkroad/threads';
import { PYTHON_ABSENT, type SuiteContext, type SuiteDefinition, throwIfAborted } from '../context.js';
import { measuredRow, type RowIdentity, rotate, skippedRow } from '../measure.js';
import { runPythonTimed } from '../python.js';
import * as noopTasks from '../tasks/noop.js';
import type { BenchMode, Experiment, Row, Suite } from '../types.js';

type NoopTasks = typeof noopTasks;

export const STARTUP_SIZES: Record<BenchMode, { reps: number; roundTrips: number }> = {
  smoke: { reps: 1, roundTrips: 20 },
  quick: { reps: 5, roundTrips: 200 },
  full: { reps: 11, roundTrips: 1000 },
};

const noopModule = new URL('../tasks/noop.js', import.meta.url);

/** The pools measured, one worker each. */
const NODE_POOLS: { id: RowIdentity; make: () => Executor<NoopTasks> }[] = [
  {
    id: { label: 'async', runtime: 'node', model: 'async', tool: '@forkroad/async' },
    make: () => createAsync<NoopTasks>(noopTasks, { concurrency: 1 }),
  },
  {
    id: { label: 'threads', runtime: 'node', model: 'threads', tool: '@forkroad/threads' },
    make: () => createThreads<NoopTasks>(noopModule, { concurrency: 1 }),
  },
  {
    id: { label: 'processes', runtime: 'node', model: 'processes', tool: '@forkroad/processes' },
    make: () => createProcesses<NoopTasks>(noopModule, { concurrency: 1 }),
  },
];

/** Python's start methods for a process pool: fork (Linux's default up to 3.13), forkserver (3.14+), spawn (macOS, Windows). */
const START_METHODS = ['fork', 'forkserver', 'spawn'] as const;

interface PythonProbe {
  experiment: 'first' | 'roundTrip';
  id: RowIdentity;
  kind: string;
  method?: string;
}

function pythonProbes(): PythonProbe[] {
  return [
    {
      experiment: 'first',
      id: { label: 'threads', runtime: 'python', model: 'threads', tool: 'ThreadPoolExecutor' },
      kind: 'first-threads',
    },
    ...START_METHODS.map(
      (method): PythonProbe => ({
        experiment: 'first',
        id: {
          label: `processes (${method})`,
          runtime: 'python',
          model: 'processes',
          tool: `ProcessPoolExecutor, ${method}`,
        },
        kind: 'first-processes',
        method,
      }),
    ),
    {
      experiment: 'roundTrip',
      id: { label: 'threads', runtime: 'python', model: 'threads', tool: 'ThreadPoolExecutor' },
      kind: 'round-trip-threads',
    },
    {
      experiment: 'roundTrip',
      id: { label: 'processes', runtime: 'python', model: 'processes', tool: 'ProcessPoolExecutor' },
      kind: 'round-trip-processes',
    },
  ];
}

/** A fresh pool's first no-op result, in ms; the pool is shut down untimed. */
async function firstResult(make: () => Executor<NoopTasks>): Promise<number> {
  const started = performance.now();
  const pool = make();
  try {
    if ((await pool.submit('noop', [1])) !== 1) throw new Error('a no-op task returned something else');
    return performance.now() - started;
  } finally {
    await pool.shutdown();
  }
}

/** ms per call of `n` no-op calls made one after another on a warm pool. */
async function roundTrip(pool: Executor<NoopTasks>, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await pool.submit('noop', [i]);
  return (performance.now() - started) / n;
}

async function nodeSamples(ctx: SuiteContext): Promise<{ first: number[][]; roundTrip: number[][] }> {
  const { reps, roundTrips } = STARTUP_SIZES[ctx.mode];
  const first = NODE_POOLS.map(() => [] as number[]);
  const trips = NODE_POOLS.map(() => [] as number[]);
  for (const p of NODE_POOLS) await firstResult(p.make); // warm-up: module loading, JIT
  for (let rep = 0; rep < reps; rep++) {
    for (const p of rotate(NODE_POOLS, rep)) {
      throwIfAborted(ctx.signal);
      first[NODE_POOLS.indexOf(p)]!.push(await firstResult(p.make));
      ctx.tick(`node first result ${p.id.label}`);
    }
  }
  const pools = NODE_POOLS.map((p) => p.make());
  try {
    for (const pool of pools) await roundTrip(pool, Math.min(roundTrips, 50));
    for (let rep = 0; rep < reps; rep++) {
      for (const pool of rotate(pools, rep)) {
        throwIfAborted(ctx.signal);
        const i = pools.indexOf(pool);
        trips[i]!.push(await roundTrip(pool, roundTrips));
        ctx.tick(`node round trip ${NODE_POOLS[i]!.id.label}`);
      }
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.shutdown()));
  }
  return { first, roundTrip: trips };
}

export const startupSuite: SuiteDefinition = {
  id: 'startup',
  python: true,
  title: 'Start-up and round trip',
  steps(ctx) {
    const { reps } = STARTUP_SIZES[ctx.mode];
    const python = ctx.pythonRows && ctx.python ? pythonProbes().length : 0;
    return reps * ((ctx.node ? NODE_POOLS.length * 2 : 0) + python);
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    const { reps, roundTrips } = STARTUP_SIZES[ctx.mode];
    const rows = { first: [] as Row[], roundTrip: [] as Row[] };
    if (ctx.node) {
      const samples = await nodeSamples(ctx);
      NODE_POOLS.forEach((p, i) => {
        rows.first.push(measuredRow({ ...p.id, details: { workers: 1 } }, samples.first[i]!));
        rows.roundTrip.push(measuredRow({ ...p.id, details: { calls: roundTrips } }, samples.roundTrip[i]!));
      });
    }
    if (ctx.pythonRows) {
      const probes = pythonProbes();
      const ids = (p: PythonProbe) => `${p.experiment} ${p.id.label}`;
      const samples = ctx.python
        ? await runPythonTimed(
            ctx.python,
            {
              reps,
              warmup: true,
              variants: probes.map((p) => ({
                id: ids(p),
                kind: p.kind,
                n: roundTrips,
                ...(p.method ? { method: p.method } : {}),
              })),
            },
            (id) => ctx.tick(`python ${id}`),
            ctx.signal,
            'startup.py',
          )
        : null;
      for (const p of probes) {
        const details: Record<string, number> =
          p.experiment === 'first' ? { workers: 1 } : { calls: roundTrips };
        rows[p.experiment].push(
          samples
            ? measuredRow({ ...p.id, details }, samples.get(ids(p))!)
            : skippedRow({ ...p.id, details }, PYTHON_ABSENT),
        );
      }
    }
    const absent = ctx.pythonRows && !ctx.python ? [`${PYTHON_ABSENT}.`] : [];
    const experiments: Experiment[] = [
      {
        id: 'startup-first-result',
        title: 'A fresh pool: time to the first result',
        description:
          'From creating a pool of one worker to the first result of a task that does nothing: what a short-lived pool (a script, a request handler, a serverless function) pays before any work is done.',
        params: { workers: 1, reps },
        unit: 'ms',
        rows: rows.first,
        notes: [
          "A worker thread is a new V8 isolate that loads Node's bootstrap and the task module; a child process is a whole new Node.js. That cost is paid once per worker, so a pool belongs at the top of a program, created once and reused, not per request.",
          "Python's thread pool starts an OS thread and nothing else. Its process pool depends on the start method: fork copies the parent (fast, but unsafe with threads, which is why Python 3.14 made forkserver the default on Linux); forkserver forks from a small server process started once per program (its own start is not in these samples: each row is warmed up once); spawn starts a fresh interpreter, the default on macOS and Windows.",
          'One untimed warm-up per row, then samples in an order rotated by one per repetition. Shutting the pool down is not timed.',
          ...absent,
        ],
      },
      {
        id: 'startup-round-trip',
        title: 'A warm pool: one task round trip',
        description: `${roundTrips.toLocaleString('en-US')} calls of a task that does nothing, one after another (each awaited before the next), on a pool of one worker already started: ms per call, the latency every task pays to reach a worker and come back.`,
        params: { calls: roundTrips, workers: 1, reps },
        unit: 'ms',
        rows: rows.roundTrip,
        notes: [
          'For a worker thread the arguments are copied by structured clone over a MessagePort; for a Node child process they travel as JSON (v8.serialize for other values) over the IPC pipe; a Python process pool pickles the function reference, the arguments and the result, and passes them through pipes and a management thread.',
          'The overhead suite measures the same cost as throughput, with many tasks in flight at once; here there is one at a time, so every call waits for the whole round trip.',
          ...absent,
        ],
      },
    ];
    return {
      id: 'startup',
      title: startupSuite.title,
      status: 'ok',
      ...(ctx.node ? {} : { note: 'Python rows only.' }),
      experiments,
    };
  },
};
