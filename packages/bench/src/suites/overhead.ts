import { fileURLToPath } from 'node:url';
import { createExecutor as createAsync } from '@forkroad/async';
import type { Executor } from '@forkroad/executor';
import { createExecutor as createProcesses } from '@forkroad/processes';
import { createExecutor as createThreads } from '@forkroad/threads';
import pLimit from 'p-limit';
import pMap from 'p-map';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { type Contender, type SuiteContext, type SuiteDefinition, timeContenders } from '../context.js';
import { measuredRow, round, setRatios } from '../measure.js';
import * as noopTasks from '../tasks/noop.js';
import type { BenchMode, Experiment, Model, Row, Suite } from '../types.js';

type NoopTasks = typeof noopTasks;

export const OVERHEAD_SIZES: Record<
  BenchMode,
  { async: number; threads: number; processes: number; reps: number }
> = {
  smoke: { async: 200, threads: 100, processes: 50, reps: 1 },
  quick: { async: 5000, threads: 1000, processes: 500, reps: 3 },
  full: { async: 20000, threads: 5000, processes: 2000, reps: 5 },
};

/** Tasks in flight for the async contenders. */
const ASYNC_CONCURRENCY = 16;

const noopModule = new URL('../tasks/noop.js', import.meta.url);
const workerpoolScript = fileURLToPath(new URL('../tasks/workerpool-worker.js', import.meta.url));

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

function forkroadContenders(
  model: Model,
  make: () => Executor<NoopTasks>,
  tool: string,
  items: number[],
  parallel: boolean,
): Contender[] {
  const shared: { pool: Executor<NoopTasks> | null; users: number } = { pool: null, users: 0 };
  const setup = async () => {
    shared.pool ??= make();
    shared.users++;
  };
  const teardown = async () => {
    if (--shared.users === 0) await shared.pool?.shutdown();
  };
  const warmup = () => all(items.slice(0, 200), (x) => shared.pool!.submit('noop', [x]));
  const variants: Contender[] = [
    {
      id: { label: `${tool} submit`, runtime: 'node', model, tool, details: { api: 'submit' } },
      setup,
      warmup,
      run: () => all(items, (x) => shared.pool!.submit('noop', [x])),
      teardown,
    },
    {
      id: { label: `${tool} map`, runtime: 'node', model, tool, details: { api: 'map' } },
      setup,
      warmup,
      run: () => drain(shared.pool!.map('noop', items), items.length, `${tool} map`),
      teardown,
    },
  ];
  if (parallel) {
    variants.push({
      id: {
        label: `${tool} map auto`,
        runtime: 'node',
        model,
        tool,
        details: { api: "map, chunkSize: 'auto'" },
      },
      setup,
      warmup,
      run: () =>
        drain(shared.pool!.map('noop', items, { chunkSize: 'auto' }), items.length, `${tool} map auto`),
      teardown,
    });
  }
  return variants;
}

function asyncContenders(n: number): Contender[] {
  const items = inputs(n);
  const noop = async (x: number) => noopTasks.noop(x);
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
        let total = 0;
        for (const x of items) total += await noop(x);
        if (total !== sum(items)) throw new Error('await loop');
      },
    },
    {
      id: {
        label: 'p-limit',
        runtime: 'node',
        model: 'async',
        tool: 'p-limit',
        details: { concurrency: ASYNC_CONCURRENCY },
      },
      warmup: async () => {
        const limit = pLimit(ASYNC_CONCURRENCY);
        await all(items.slice(0, 200), (x) => limit(() => noop(x)));
      },
      run: async () => {
        const limit = pLimit(ASYNC_CONCURRENCY);
        await all(items, (x) => limit(() => noop(x)));
      },
    },
    {
      id: {
        label: 'p-map',
        runtime: 'node',
        model: 'async',
        tool: 'p-map',
        details: { concurrency: ASYNC_CONCURRENCY },
      },
      warmup: async () => {
        await pMap(items.slice(0, 200), noop, { concurrency: ASYNC_CONCURRENCY });
      },
      run: async () => {
        const results = await pMap(items, noop, { concurrency: ASYNC_CONCURRENCY });
        if (sum(results) !== sum(items)) throw new Error('p-map');
      },
    },
    ...forkroadContenders(
      'async',
      () => createAsync<NoopTasks>(noopTasks, { concurrency: ASYNC_CONCURRENCY }),
      '@forkroad/async',
      items,
      false,
    ).map((c) => ({ ...c, id: { ...c.id, details: { ...c.id.details, concurrency: ASYNC_CONCURRENCY } } })),
  ];
}

function threadContenders(n: number, workers: number): Contender[] {
  const items = inputs(n);
  let piscina: Piscina | null = null;
  let tinypool: Tinypool | null = null;
  const details = { workers };
  return [
    {
      id: { label: 'piscina', runtime: 'node', model: 'threads', tool: 'piscina', details },
      setup: async () => {
        piscina = new Piscina({ filename: noopModule.href, minThreads: workers, maxThreads: workers });
      },
      warmup: () => all(items.slice(0, 200), (x) => piscina!.run(x)),
      run: () => all(items, (x) => piscina!.run(x)),
      teardown: async () => {
        await piscina?.destroy();
      },
    },
    {
      id: { label: 'tinypool', runtime: 'node', model: 'threads', tool: 'tinypool', details },
      setup: async () => {
        tinypool = new Tinypool({ filename: noopModule.href, minThreads: workers, maxThreads: workers });
      },
      warmup: () => all(items.slice(0, 200), (x) => tinypool!.run(x)),
      run: () => all(items, (x) => tinypool!.run(x)),
      teardown: async () => {
        await tinypool?.destroy();
      },
    },
    ...forkroadContenders(
      'threads',
      () => createThreads<NoopTasks>(noopModule, { concurrency: workers }),
      '@forkroad/threads',
      items,
      true,
    ).map((c) => ({ ...c, id: { ...c.id, details: { ...c.id.details, workers } } })),
  ];
}

function processContenders(n: number, workers: number): Contender[] {
  const items = inputs(n);
  let pool: ReturnType<typeof workerpool.pool> | null = null;
  return [
    {
      id: {
        label: 'workerpool',
        runtime: 'node',
        model: 'processes',
        tool: 'workerpool',
        details: { workers },
      },
      setup: async () => {
        pool = workerpool.pool(workerpoolScript, {
          workerType: 'process',
          minWorkers: workers,
          maxWorkers: workers,
          forkOpts: { execArgv: [] },
        });
      },
      warmup: () => all(items.slice(0, 200), (x) => pool!.exec('noop', [x]) as unknown as Promise<number>),
      run: () => all(items, (x) => pool!.exec('noop', [x]) as unknown as Promise<number>),
      teardown: async () => {
        await pool?.terminate();
      },
    },
    ...forkroadContenders(
      'processes',
      () => createProcesses<NoopTasks>(noopModule, { concurrency: workers, execArgv: [] }),
      '@forkroad/processes',
      items,
      true,
    ).map((c) => ({ ...c, id: { ...c.id, details: { ...c.id.details, workers } } })),
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

export const overheadSuite: SuiteDefinition = {
  id: 'overhead',
  title: 'Overhead: the cost of a task on each backend',
  steps(ctx) {
    if (!ctx.node) return 0;
    const { reps } = OVERHEAD_SIZES[ctx.mode];
    return (
      (asyncContenders(1).length + threadContenders(1, 1).length + processContenders(1, 1).length) * reps
    );
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    if (!ctx.node) {
      return {
        id: 'overhead',
        title: overheadSuite.title,
        status: 'skipped',
        note: 'Node.js only; not selected.',
        experiments: [],
      };
    }
    const sizes = OVERHEAD_SIZES[ctx.mode];
    const workers = ctx.cores;
    const groups: {
      id: string;
      title: string;
      description: string;
      n: number;
      baseline: string;
      contenders: Contender[];
      params: Record<string, number>;
    }[] = [
      {
        id: 'overhead-async',
        title: `Event loop: ${sizes.async.toLocaleString('en-US')} no-op tasks`,
        description: `@forkroad/async against p-limit and p-map, ${ASYNC_CONCURRENCY} tasks in flight, and a plain await loop as the floor.`,
        n: sizes.async,
        baseline: 'p-limit',
        contenders: asyncContenders(sizes.async),
        params: { tasks: sizes.async, concurrency: ASYNC_CONCURRENCY },
      },
      {
        id: 'overhead-threads',
        title: `Worker threads: ${sizes.threads.toLocaleString('en-US')} no-op tasks`,
        description: `@forkroad/threads against piscina and tinypool, ${workers} worker threads each; every task is a round trip to a worker.`,
        n: sizes.threads,
        baseline: 'piscina',
        contenders: threadContenders(sizes.threads, workers),
        params: { tasks: sizes.threads, workers },
      },
      {
        id: 'overhead-processes',
        title: `Child processes: ${sizes.processes.toLocaleString('en-US')} no-op tasks`,
        description: `@forkroad/processes against workerpool (workerType 'process'), ${workers} child processes each; every task is a round trip over IPC.`,
        n: sizes.processes,
        baseline: 'workerpool',
        contenders: processContenders(sizes.processes, workers),
        params: { tasks: sizes.processes, workers },
      },
    ];
    const experiments: Experiment[] = [];
    for (const group of groups) {
      const samples = await timeContenders(ctx, group.contenders, sizes.reps, (c) => c.id.label);
      const rows = toRows(group.contenders, samples, group.n);
      setRatios(rows, group.baseline, (row, base) => row.median / base.median);
      experiments.push({
        id: group.id,
        title: group.title,
        description: group.description,
        params: { ...group.params, reps: sizes.reps },
        unit: 'tasks/s',
        baseline: group.baseline,
        ratioLabel: `× ${group.baseline}`,
        rows,
        notes: [
          `Throughput of tasks that do nothing: all that is measured is the pool's own cost per task (details.usPerTask = 10⁶ ÷ tasks/s). The ratio is the throughput over ${group.baseline}'s; above 1 is faster.`,
          'submit: every task submitted at once and awaited with Promise.all; map: one lazy, ordered map over the inputs' +
            (group.id === 'overhead-async'
              ? '.'
              : "; map auto: the same with chunkSize 'auto', which batches tiny tasks into one message."),
          'Every pool is created and its workers started before timing; one warm-up run precedes the timed repetitions, whose order is rotated.',
          ...(group.id === 'overhead-async'
            ? [
                "forkroad's executors pay for what the contract guarantees and p-limit does not do: per-task timeouts and abort signals, taskSignal(), stats, and lazy map with backpressure.",
              ]
            : []),
        ],
      });
    }
    return { id: 'overhead', title: overheadSuite.title, status: 'ok', experiments };
  },
};
