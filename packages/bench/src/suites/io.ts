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
} from '../context.js';
import { measuredRow, type RowIdentity, round, skippedRow } from '../measure.js';
import { type PythonVariant, runPythonTimed } from '../python.js';
import { type DelayServer, startDelayServer } from '../server.js';
import * as ioTasks from '../tasks/io.js';
import { type BenchMode, type Experiment, isBackend, type Row, type Runtime, type Suite } from '../types.js';

type IoTasks = typeof ioTasks;

/** Sizes per mode. `few`: the guide's 10 requests; `many`: its 1,000. */
export const IO_SIZES: Record<
  BenchMode,
  { delayMs: number; few: number; many: number; reps: number; manyReps: number }
> = {
  smoke: { delayMs: 20, few: 4, many: 50, reps: 1, manyReps: 1 },
  quick: { delayMs: 250, few: 10, many: 1000, reps: 2, manyReps: 2 },
  full: { delayMs: 1000, few: 10, many: 1000, reps: 3, manyReps: 5 },
};

const ioModule = new URL('../tasks/io.js', import.meta.url);

type ModelName = 'sequential' | 'async' | 'threads' | 'processes';

const NODE_TOOLS: Record<ModelName, string> = {
  sequential: 'for … of + await',
  async: '@forkroad/async',
  threads: '@forkroad/threads',
  processes: '@forkroad/processes',
};

const PYTHON_TOOLS: Record<ModelName, string> = {
  sequential: 'for loop + urllib',
  async: 'asyncio.gather + asyncio streams',
  threads: 'ThreadPoolExecutor + urllib',
  processes: 'ProcessPoolExecutor + urllib',
};

const MODELS: ModelName[] = ['sequential', 'async', 'threads', 'processes'];

/** Node's models in this run: sequential and the backends asked for. */
function nodeModels(ctx: SuiteContext): ModelName[] {
  return MODELS.filter((model) => !isBackend(model) || ctx.backends.has(model));
}

function rowId(runtime: Runtime, model: ModelName, concurrency: number): RowIdentity {
  const details: Record<string, number> =
    model === 'sequential'
      ? { concurrency: 1 }
      : model === 'async'
        ? { concurrency }
        : { workers: concurrency };
  const tool = (runtime === 'node' ? NODE_TOOLS : PYTHON_TOOLS)[model];
  return { label: model, runtime, model, tool, details };
}

const nodeId = (model: ModelName, concurrency: number) => rowId('node', model, concurrency);
const pythonId = (model: ModelName, concurrency: number) => rowId('python', model, concurrency);

/** A Node contender making `n` requests to `url` with the given model. */
function nodeContender(model: ModelName, n: number, url: string, warmUrl: string): Contender {
  const urls = new Array<string>(n).fill(url);
  const warmUrls = new Array<string>(n).fill(warmUrl);
  if (model === 'sequential') {
    return {
      id: nodeId(model, 1),
      warmup: async () => {
        await ioTasks.request(warmUrl);
      },
      run: async () => {
        for (const u of urls) await ioTasks.request(u);
      },
    };
  }
  let pool: Executor<IoTasks> | null = null;
  const drain = async (inputs: string[]) => {
    let count = 0;
    for await (const _ of pool!.map('request', inputs)) count++;
    if (count !== inputs.length) throw new Error(`io ${model}: ${count} of ${inputs.length} answers`);
  };
  return {
    id: nodeId(model, n),
    setup: async () => {
      pool =
        model === 'async'
          ? createAsync<IoTasks>(ioTasks, { concurrency: n })
          : model === 'threads'
            ? createThreads<IoTasks>(ioModule, { concurrency: n })
            : createProcesses<IoTasks>(ioModule, { concurrency: n, execArgv: [] });
    },
    // n requests at once start every worker (each takes one), outside the timed region.
    warmup: () => drain(warmUrls),
    run: () => drain(urls),
    teardown: async () => {
      await pool?.shutdown();
    },
  };
}

function idealRatios(rows: Row[], delayMs: number): void {
  for (const row of rows) if (row.status !== 'skipped') row.ratio = round(row.median / delayMs, 3);
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

export const ioSuite: SuiteDefinition = {
  id: 'io',
  python: true,
  title: 'I/O-bound: requests to a local delay server',
  steps(ctx) {
    const { reps, manyReps } = IO_SIZES[ctx.mode];
    const node = nodeModels(ctx).length * reps + (ctx.backends.has('async') ? manyReps : 0);
    return (ctx.node ? node : 0) + (ctx.pythonRows && ctx.python ? MODELS.length * reps + manyReps : 0);
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    const server = await startDelayServer();
    try {
      return await measure(ctx, server, IO_SIZES[ctx.mode]);
    } finally {
      await server.close();
    }
  },
};

async function measure(
  ctx: SuiteContext,
  server: DelayServer,
  { delayMs, few, many, reps, manyReps }: (typeof IO_SIZES)[BenchMode],
): Promise<Suite> {
  const url = server.url(delayMs);
  const warmUrl = server.url(0);
  const fewRows: Row[] = [];
  const manyRows: Row[] = [];

  if (ctx.node) {
    const contenders = nodeModels(ctx).map((model) => nodeContender(model, few, url, warmUrl));
    const samples = await timeContenders(ctx, contenders, reps, (c) => `node ${c.id.label} ×${few}`);
    contenders.forEach((c, i) => {
      fewRows.push(measuredRow(c.id, samples[i]!));
    });
  }
  if (ctx.node && ctx.backends.has('async')) {
    const manyAsync = nodeContender('async', many, url, warmUrl);
    const [manySamples] = await timeContenders(ctx, [manyAsync], manyReps, () => `node async ×${many}`);
    manyRows.push(
      skippedRow(
        nodeId('sequential', 1),
        `not run: one request after another takes ${many} × ${seconds(delayMs)} ≈ ${seconds(many * delayMs)}`,
      ),
      measuredRow(manyAsync.id, manySamples!),
      skippedRow(
        nodeId('threads', few),
        `not run: a worker thread runs one task (one request) at a time, so ${few} workers need ${many / few} waves ≈ ${seconds((many / few) * delayMs)}, and ${many} worker threads (~10 MB each) is not a sensible pool; this is async's job`,
      ),
      skippedRow(
        nodeId('processes', few),
        `not run: as for threads, ${few} child processes need ${many / few} waves ≈ ${seconds((many / few) * delayMs)}; ${many} processes is not a sensible pool`,
      ),
    );
  }

  if (ctx.pythonRows) {
    const python = ctx.python;
    if (python) {
      const variants: PythonVariant[] = MODELS.map((model) => ({
        id: `few/${model}`,
        kind: model === 'async' ? 'io-asyncio' : `io-${model}`,
        url,
        warmUrl,
        n: few,
        workers: few,
      }));
      const tick = (id: string) =>
        ctx.tick(`python ${id.split('/')[1]} ×${id.startsWith('many') ? many : few}`);
      const samples = await runPythonTimed(python, { reps, warmup: true, variants }, tick, ctx.signal);
      const manySamples = await runPythonTimed(
        python,
        {
          reps: manyReps,
          warmup: true,
          variants: [{ id: 'many/async', kind: 'io-asyncio', url, warmUrl, n: many }],
        },
        tick,
        ctx.signal,
      );
      samples.set('many/async', manySamples.get('many/async')!);
      for (const model of MODELS)
        fewRows.push(measuredRow(pythonId(model, few), samples.get(`few/${model}`)!));
      manyRows.push(
        skippedRow(pythonId('sequential', 1), `not run: ${many} × ${seconds(delayMs)} one after another`),
        measuredRow(pythonId('async', many), samples.get('many/async')!),
        skippedRow(
          pythonId('threads', few),
          `not run: the guide measures asyncio here; a pool of ${few} threads needs ${many / few} waves ≈ ${seconds((many / few) * delayMs)}`,
        ),
        skippedRow(
          pythonId('processes', few),
          `not run: as for threads, ${many / few} waves of ${few} processes`,
        ),
      );
    } else {
      for (const model of MODELS) fewRows.push(skippedRow(pythonId(model, few), PYTHON_ABSENT));
      for (const model of MODELS)
        manyRows.push(skippedRow(pythonId(model, model === 'async' ? many : 1), PYTHON_ABSENT));
    }
  }

  idealRatios(fewRows, delayMs);
  idealRatios(manyRows, delayMs);

  const common = [
    `The delay server runs in its own Node process on 127.0.0.1, so its event loop is not the one measured. The ideal is one wait (${seconds(delayMs)}): the ratio is the median ÷ ${seconds(delayMs)}, so 1.00 would be perfect and N would mean N waits.`,
    'Pools (threads, processes) are created and every worker started before timing; one warm-up run precedes the timed repetitions, whose order is rotated.',
    "Node's requests use node:http with a keep-alive agent in each thread or process; Python's use urllib (a new connection per request) or, for asyncio, the standard library's asyncio streams (there is no async HTTP client in the standard library).",
  ];
  const fewExperiment: Experiment = {
    id: 'io-few',
    title: `${few} requests, each waiting ${seconds(delayMs)}`,
    description: `The guide's first I/O setup: ${few} requests to a server that answers each after ${seconds(delayMs)}, one after another (sequential) or all at once (async: ${few} in flight; threads and processes: ${few} workers, one request each).`,
    params: { requests: few, delayMs, concurrency: few, reps, idealMs: delayMs },
    unit: 'ms',
    ratioLabel: '× ideal',
    rows: fewRows,
    notes: [
      `The guide's claim, for 10 requests of 1 s: about 10 s sequential, about 1.1 s with a thread pool. Sequential costs one wait per request (${few} × ${seconds(delayMs)}); every concurrent model comes close to one wait, because waiting needs no CPU.`,
      ...common,
      ...(ctx.pythonRows && !ctx.python ? [`${PYTHON_ABSENT}.`] : []),
      ...(ctx.mode === 'full'
        ? []
        : [`${ctx.mode} mode: ${seconds(delayMs)} waits instead of the guide's 1 s.`]),
    ],
  };
  const manyExperiment: Experiment = {
    id: 'io-many',
    title: `${many.toLocaleString('en-US')} requests, each waiting ${seconds(delayMs)}`,
    description: `The guide's second I/O setup: ${many.toLocaleString('en-US')} requests in flight at once on one event loop (Node: @forkroad/async with concurrency ${many}; Python: asyncio.gather).`,
    params: { requests: many, delayMs, concurrency: many, reps: manyReps, idealMs: delayMs },
    unit: 'ms',
    ratioLabel: '× ideal',
    rows: manyRows,
    notes: [
      `The guide's claim, for 1,000 requests of 1 s: about 2 s with asyncio. Thousands of waits cost one event loop almost nothing; what remains is opening the connections and handling the answers.`,
      `Only the async rows are measured: in a pool each worker (thread or process) handles one request at a time, so a pool of ${few} needs ${many / few} waves (≈ ${seconds((many / few) * delayMs)}), and a pool of ${many} workers is not what anyone should run. Sequential would take ${many} waits.`,
      ...common,
      ...(ctx.pythonRows && !ctx.python ? [`${PYTHON_ABSENT}.`] : []),
      ...(ctx.mode === 'full'
        ? []
        : [`${ctx.mode} mode: ${seconds(delayMs)} waits instead of the guide's 1 s.`]),
    ],
  };
  return {
    id: 'io',
    title: ioSuite.title,
    status: 'ok',
    ...(ctx.node ? {} : { note: 'Python rows only.' }),
    experiments: [fewExperiment, manyExperiment],
  };
}
