import { fileURLToPath } from 'node:url';
import { createExecutor as createAsync } from '@forkroad/async';
import type { Executor } from '@forkroad/executor';
import pLimit from 'p-limit';
import pMap from 'p-map';
import {
  type Contender,
  type SuiteContext,
  type SuiteDefinition,
  throwIfAborted,
  timeContenders,
} from '../context.js';
import { runJsonChild } from '../json-child.js';
import { measuredRow, type RowIdentity, rotate, round, setRatios } from '../measure.js';
import {
  FORKROAD_TOOL,
  forkroadPool,
  type ParallelBackend,
  type ParallelTasks,
  PEERS,
  type PeerPool,
  REFERENCE_PEER,
} from '../pools.js';
import { ReferenceLimit } from '../reference-limit.js';
import * as asyncNoopTasks from '../tasks/async-noop.js';
import type { BenchMode, Experiment, Row, Suite } from '../types.js';

type AsyncNoopTasks = typeof asyncNoopTasks;

/**
 * The async backend's sizes are issue 10's: 100,000 tasks at concurrency 100 (smoke aside). A
 * full run repeats each contender 21 times: a tiny task's throughput swings with the collector's
 * state from one repetition to the next, and with 7 the median of a ratio moved by ±15 % between
 * runs on the same machine (half that with 21).
 */
export const OVERHEAD_SIZES: Record<
  BenchMode,
  { async: number; threads: number; processes: number; reps: number }
> = {
  smoke: { async: 2000, threads: 100, processes: 50, reps: 1 },
  quick: { async: 100_000, threads: 2000, processes: 1000, reps: 3 },
  full: { async: 100_000, threads: 5000, processes: 2000, reps: 21 },
};

/** Tasks in flight for the async contenders. */
export const ASYNC_CONCURRENCY = 100;

function inputs(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

async function drain(iterator: AsyncIterable<unknown>, n: number, what: string): Promise<void> {
  let count = 0;
  for await (const _ of iterator) count++;
  if (count !== n) throw new Error(`${what}: ${count} of ${n} results`);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Runs every input through `one` at once and checks the results came back. */
async function all(items: readonly number[], one: (x: number) => Promise<number>): Promise<void> {
  const results = await Promise.all(items.map(one));
  if (sum(results) !== sum(items)) throw new Error('a no-op task returned something else');
}

/** n × undefined: `map`'s and p-map's inputs for a task that takes no argument. */
function blanks(n: number): undefined[] {
  return new Array<undefined>(n).fill(undefined);
}

/**
 * Issue 10's race: `async` no-op tasks, as users of each library write them. The forkroad pools
 * are given the imported module object, so no module loading happens while timing.
 */
function asyncContenders(n: number): Contender[] {
  const items = blanks(n);
  const warm = blanks(Math.min(n, 20_000));
  const details = { concurrency: ASYNC_CONCURRENCY };
  /**
   * A contender that makes every call at once and awaits them with Promise.all. `caller()` is
   * called before each run, inside its timing: p-limit and the reference limit make a fresh limit
   * there, as their users do for a batch; forkroad's rows call the pool made in setup.
   */
  const allAtOnce = (
    id: RowIdentity,
    caller: () => () => Promise<unknown>,
    hooks: Pick<Contender, 'setup' | 'teardown'> = {},
  ): Contender => {
    const runAll = async (k: number) => {
      const call = caller();
      const promises = new Array<Promise<unknown>>(k);
      for (let i = 0; i < k; i++) promises[i] = call();
      const results = await Promise.all(promises);
      if (results.length !== k) throw new Error(`${id.label}: ${results.length} of ${k} results`);
    };
    return { id, ...hooks, warmup: () => runAll(warm.length), run: () => runAll(n) };
  };
  const shared: { pool: Executor<AsyncNoopTasks> | null; users: number } = { pool: null, users: 0 };
  const setup = async () => {
    shared.pool ??= createAsync<AsyncNoopTasks>(asyncNoopTasks, { concurrency: ASYNC_CONCURRENCY });
    shared.users++;
  };
  const teardown = async () => {
    if (--shared.users === 0) await shared.pool?.shutdown();
  };
  // The same pool with taskSignal() carried across awaits: what that opt-in costs, in the same run.
  let carrying: Executor<AsyncNoopTasks> | null = null;
  const tool = '@forkroad/async';
  /** forkroad's submit of every task at once, on the pool `pool()` returns. */
  const submitRace = (
    label: string,
    raceDetails: Record<string, number | string>,
    pool: () => Executor<AsyncNoopTasks>,
    setupPool: () => Promise<void>,
    teardownPool: () => Promise<void>,
  ): Contender =>
    allAtOnce(
      { label, runtime: 'node', model: 'async', tool, details: raceDetails },
      () => () => pool().submit('noop', []),
      { setup: setupPool, teardown: teardownPool },
    );
  return [
    {
      id: {
        label: 'await loop',
        runtime: 'node',
        model: 'sequential',
        tool: 'for … of + await',
        details: { concurrency: 1 },
      },
      run: async () => {
        for (let i = 0; i < n; i++) await asyncNoopTasks.noop();
      },
    },
    allAtOnce({ label: 'p-limit', runtime: 'node', model: 'async', tool: 'p-limit', details }, () => {
      const limit = pLimit(ASYNC_CONCURRENCY);
      return () => limit(asyncNoopTasks.noop);
    }),
    {
      id: { label: 'p-map', runtime: 'node', model: 'async', tool: 'p-map', details },
      warmup: async () => {
        await pMap(warm, asyncNoopTasks.noop, { concurrency: ASYNC_CONCURRENCY });
      },
      run: async () => {
        const results = await pMap(items, asyncNoopTasks.noop, { concurrency: ASYNC_CONCURRENCY });
        if (results.length !== n) throw new Error('p-map');
      },
    },
    ...[true, false].map((keepContext) =>
      allAtOnce(
        {
          label: `reference limit, ${keepContext ? 'context kept' : 'no context'}`,
          runtime: 'node',
          model: 'async',
          tool: 'reference-limit.ts',
          details: { ...details, keepContext: keepContext ? 1 : 0 },
        },
        () => {
          const limit = new ReferenceLimit(ASYNC_CONCURRENCY, keepContext);
          return () => limit.run(asyncNoopTasks.noop, []);
        },
      ),
    ),
    submitRace(`${tool} submit`, { ...details, api: 'submit' }, () => shared.pool!, setup, teardown),
    submitRace(
      `${tool} submit, taskSignalAfterAwait`,
      { ...details, api: 'submit', taskSignalAfterAwait: 1 },
      () => carrying!,
      async () => {
        carrying = createAsync<AsyncNoopTasks>(asyncNoopTasks, {
          concurrency: ASYNC_CONCURRENCY,
          taskSignalAfterAwait: true,
        });
      },
      async () => {
        await carrying?.shutdown();
      },
    ),
    {
      id: {
        label: `${tool} map`,
        runtime: 'node',
        model: 'async',
        tool,
        details: { ...details, api: 'map' },
      },
      setup,
      warmup: () => drain(shared.pool!.map('noop', warm), warm.length, `${tool} map`),
      run: () => drain(shared.pool!.map('noop', items), n, `${tool} map`),
      teardown,
    },
  ];
}

/** A parallel backend's race: its peers' one-call API against forkroad's submit, map and map auto. */
function parallelContenders(backend: ParallelBackend, n: number, workers: number): Contender[] {
  const items = inputs(n);
  const warm = items.slice(0, 200);
  const model = backend;
  const details = { workers };
  const peers: Contender[] = PEERS.filter((p) => p.backend === backend).map((peer) => {
    let pool: PeerPool | null = null;
    return {
      id: { label: peer.label, runtime: 'node', model, tool: peer.label, details },
      setup: async () => {
        pool = peer.create('noop', workers);
      },
      warmup: () => all(warm, (x) => pool!.run('noop', x) as Promise<number>),
      run: () => all(items, (x) => pool!.run('noop', x) as Promise<number>),
      teardown: async () => {
        await pool?.close();
      },
    };
  });
  const tool = FORKROAD_TOOL[backend];
  const shared: { pool: Executor<ParallelTasks> | null; users: number } = { pool: null, users: 0 };
  const setup = async () => {
    shared.pool ??= forkroadPool(backend, 'noop', workers);
    shared.users++;
  };
  const teardown = async () => {
    if (--shared.users === 0) await shared.pool?.shutdown();
  };
  const warmup = () => all(warm, (x) => shared.pool!.submit('noop', [x]));
  const variant = (label: string, api: string, run: () => Promise<void>): Contender => ({
    id: { label: `${tool} ${label}`, runtime: 'node', model, tool, details: { ...details, api } },
    setup,
    warmup,
    run,
    teardown,
  });
  return [
    ...peers,
    variant('submit', 'submit', () => all(items, (x) => shared.pool!.submit('noop', [x]))),
    variant('map', 'map', () => drain(shared.pool!.map('noop', items), n, `${tool} map`)),
    variant('map auto', "map, chunkSize: 'auto'", () =>
      drain(shared.pool!.map('noop', items, { chunkSize: 'auto' }), n, `${tool} map auto`),
    ),
  ];
}

function toRows(contenders: Contender[], samples: number[][], n: number): Row[] {
  return contenders.map((c, i) => {
    const throughput = samples[i]!.map((ms) => n / (ms / 1000));
    const row = measuredRow(c.id, throughput);
    row.details = { ...row.details, usPerTask: round(1e6 / row.median, 3) };
    return row;
  });
}

interface Race {
  id: string;
  title: string;
  description: string;
  n: number;
  baseline: string;
  contenders: Contender[];
  params: Record<string, number>;
}

/** The races of this run: one per backend asked for. */
function races(ctx: SuiteContext): Race[] {
  const sizes = OVERHEAD_SIZES[ctx.mode];
  const workers = ctx.cores;
  const list: Race[] = [];
  if (ctx.backends.has('async'))
    list.push({
      id: 'overhead-async',
      title: `Event loop: ${sizes.async.toLocaleString('en-US')} async no-op tasks`,
      description: `@forkroad/async against p-limit and p-map: ${sizes.async.toLocaleString('en-US')} tasks of \`async () => {}\`, ${ASYNC_CONCURRENCY} in flight, a plain await loop as the floor, and the least a FIFO limit does (reference rows).`,
      n: sizes.async,
      baseline: 'p-limit',
      contenders: asyncContenders(sizes.async),
      params: { tasks: sizes.async, concurrency: ASYNC_CONCURRENCY },
    });
  if (ctx.backends.has('threads'))
    list.push({
      id: 'overhead-threads',
      title: `Worker threads: ${sizes.threads.toLocaleString('en-US')} no-op tasks`,
      description: `@forkroad/threads against piscina, tinypool and workerpool (workerType 'thread'), ${workers} worker threads each; every task is a round trip to a worker.`,
      n: sizes.threads,
      baseline: REFERENCE_PEER.threads,
      contenders: parallelContenders('threads', sizes.threads, workers),
      params: { tasks: sizes.threads, workers },
    });
  if (ctx.backends.has('processes'))
    list.push({
      id: 'overhead-processes',
      title: `Child processes: ${sizes.processes.toLocaleString('en-US')} no-op tasks`,
      description: `@forkroad/processes against workerpool (workerType 'process') and tinypool (runtime 'child_process'), ${workers} child processes each; every task is a round trip over IPC.`,
      n: sizes.processes,
      baseline: REFERENCE_PEER.processes,
      contenders: parallelContenders('processes', sizes.processes, workers),
      params: { tasks: sizes.processes, workers },
    });
  return list;
}

function raceExperiment(race: Race, rows: Row[], reps: number): Experiment {
  setRatios(rows, race.baseline, (row, base) => row.median / base.median);
  return {
    id: race.id,
    title: race.title,
    description: race.description,
    params: { ...race.params, reps },
    unit: 'tasks/s',
    baseline: race.baseline,
    ratioLabel: `× ${race.baseline}`,
    rows,
    notes: [
      `Throughput of tasks that do nothing: all that is measured is the pool's own cost per task (details.usPerTask = 10⁶ ÷ tasks/s). The ratio is the throughput over ${race.baseline}'s; above 1 is faster.`,
      'submit: every task submitted at once and awaited with Promise.all; map: one lazy, ordered map over the inputs' +
        (race.id === 'overhead-async'
          ? '.'
          : "; map auto: the same with chunkSize 'auto', which batches tiny tasks into one message."),
      'All in one process: every pool is created and its workers started before timing; one warm-up run precedes the timed repetitions, whose order is rotated; no garbage collection is forced between timed runs.',
      ...(race.id === 'overhead-async'
        ? [
            "forkroad's executors pay for what the contract guarantees and p-limit does not do: per-task timeouts and abort signals, taskSignal(), stats, and lazy map with backpressure.",
            "reference limit: the least a FIFO limit does (bench/src/reference-limit.ts: a queue, a count, each caller answered; no timeouts, signals, stats or validation), called as submit is (a task and its arguments). 'context kept' runs each queued call in its caller's async context, as forkroad (guarantee 7) and p-limit do, through an AsyncResource per waiting call, the cheapest public way; 'no context' does not: the difference is what keeping the context costs, apart from everything else a pool does.",
          ]
        : []),
    ],
  };
}

/** The host's own promise code before and after a library ran async tasks (host-probe.ts). */
export const HOST_SIZES: Record<BenchMode, { awaits: number; tasks: number; reps: number }> = {
  smoke: { awaits: 20_000, tasks: 1000, reps: 1 },
  quick: { awaits: 200_000, tasks: 10_000, reps: 3 },
  full: { awaits: 200_000, tasks: 10_000, reps: 5 },
};

const HOST_LIBRARIES = ['@forkroad/async', 'p-map'] as const;

const hostProbe = fileURLToPath(new URL('../host-probe.js', import.meta.url));

async function hostExperiment(ctx: SuiteContext): Promise<Experiment> {
  const { awaits, tasks, reps } = HOST_SIZES[ctx.mode];
  const before: number[] = [];
  const after = new Map<string, number[]>(HOST_LIBRARIES.map((l) => [l, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const library of rotate(HOST_LIBRARIES, rep)) {
      throwIfAborted(ctx.signal);
      const result = await runJsonChild<{ beforeMs: number; afterMs: number }>(
        `host-probe ${library}`,
        process.execPath,
        [hostProbe, library, String(awaits), String(tasks)],
        { signal: ctx.signal },
      );
      before.push(result.beforeMs);
      after.get(library)!.push(result.afterMs);
      ctx.tick(`host promises after ${library}`);
    }
  }
  const rows = [
    measuredRow(
      { label: 'fresh process', runtime: 'node', model: 'sequential', tool: 'for … of + await' },
      before,
    ),
    ...HOST_LIBRARIES.map((library) =>
      measuredRow(
        { label: `after ${library}`, runtime: 'node', model: 'async', tool: library },
        after.get(library)!,
      ),
    ),
  ];
  setRatios(rows, 'fresh process', (row, base) => base.median / row.median);
  return {
    id: 'overhead-async-host',
    title: `The host's own promise code: ${awaits.toLocaleString('en-US')} awaits`,
    description: `A chain of ${awaits.toLocaleString('en-US')} awaits that never touches the library, timed in a fresh process, then again after ${tasks.toLocaleString('en-US')} async no-op tasks ran through the library at concurrency ${ASYNC_CONCURRENCY} (the executor still open).`,
    params: { awaits, tasks, concurrency: ASYNC_CONCURRENCY, reps },
    unit: 'ms',
    baseline: 'fresh process',
    ratioLabel: '× throughput',
    rows,
    notes: [
      "The ratio is the chain's throughput over that of a fresh process (its time before any library ran): 1.00 means the application's own promise code did not slow down; 0.50 means it now runs at half speed.",
      'Each sample is one fresh process (a library that turns promise hooks on cannot turn them off for the rest of the process); each time is the median of 7 runs of the chain.',
    ],
  };
}

export const overheadSuite: SuiteDefinition = {
  id: 'overhead',
  title: 'Overhead: the cost of a task on each backend',
  // Node only: planned only when selected, so always with Node's rows.
  steps(ctx) {
    const { reps } = OVERHEAD_SIZES[ctx.mode];
    const host = ctx.backends.has('async') ? HOST_SIZES[ctx.mode].reps * HOST_LIBRARIES.length : 0;
    return races(ctx).reduce((sum, race) => sum + race.contenders.length * reps, host);
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    const { reps } = OVERHEAD_SIZES[ctx.mode];
    const experiments: Experiment[] = [];
    for (const race of races(ctx)) {
      const samples = await timeContenders(ctx, race.contenders, reps, (c) => c.id.label);
      experiments.push(raceExperiment(race, toRows(race.contenders, samples, race.n), reps));
    }
    if (ctx.backends.has('async')) experiments.push(await hostExperiment(ctx));
    return { id: 'overhead', title: overheadSuite.title, status: 'ok', experiments };
  },
};
