import type { Executor } from '@forkroad/executor';
import { createExecutor as createProcesses } from '@forkroad/processes';
import { createExecutor as createThreads } from '@forkroad/threads';
import { PYTHON_ABSENT, type SuiteContext, type SuiteDefinition, throwIfAborted } from '../context.js';
import { measuredRow, type RowIdentity, rotate, skippedRow } from '../measure.js';
import { runPythonTimed } from '../python.js';
import type * as payloadTasks from '../tasks/payload.js';
import type { BenchMode, Experiment, Row, Suite } from '../types.js';

type PayloadTasks = typeof payloadTasks;

const KB = 1024;
const MB = 1024 * KB;

export const PAYLOAD_SIZES: Record<BenchMode, { bytes: number[]; reps: number }> = {
  smoke: { bytes: [KB, MB], reps: 1 },
  quick: { bytes: [KB, 64 * KB, MB, 10 * MB, 50 * MB], reps: 3 },
  full: { bytes: [KB, 64 * KB, MB, 10 * MB, 50 * MB], reps: 7 },
};

const payloadModule = new URL('../tasks/payload.js', import.meta.url);

/** "1 KB", "64 KB", "50 MB": the sizes' names in labels. */
export function sizeLabel(bytes: number): string {
  return bytes >= MB ? `${bytes / MB} MB` : `${bytes / KB} KB`;
}

type Method = 'copy' | 'transfer' | 'pickle';

interface NodeWay {
  model: 'threads' | 'processes';
  tool: string;
  method: Method;
  /** One timed call: `data` is fresh for a transfer, which detaches it. */
  send(pool: Executor<PayloadTasks>, data: Uint8Array<ArrayBuffer>): Promise<number>;
}

const NODE_WAYS: NodeWay[] = [
  {
    model: 'threads',
    tool: '@forkroad/threads',
    method: 'copy',
    send: (pool, data) => pool.submit('byteLength', [data]),
  },
  {
    model: 'threads',
    tool: '@forkroad/threads',
    method: 'transfer',
    send: (pool, data) => pool.submit('byteLength', [data.buffer], { transfer: [data.buffer] }),
  },
  {
    model: 'processes',
    tool: '@forkroad/processes',
    method: 'copy',
    send: (pool, data) => pool.submit('byteLength', [data]),
  },
];

function rowId(
  runtime: 'node' | 'python',
  model: NodeWay['model'],
  tool: string,
  method: Method,
  bytes: number,
) {
  return {
    label: `${model} ${method} ${sizeLabel(bytes)}`,
    runtime,
    model,
    tool,
    details: { bytes, method },
  } satisfies RowIdentity;
}

async function nodeRows(ctx: SuiteContext): Promise<Row[]> {
  const { bytes: sizes, reps } = PAYLOAD_SIZES[ctx.mode];
  const threads = createThreads<PayloadTasks>(payloadModule, { concurrency: 1 });
  const processes = createProcesses<PayloadTasks>(payloadModule, { concurrency: 1 });
  const poolOf = (way: NodeWay) => (way.model === 'threads' ? threads : processes);
  const rows: Row[] = [];
  try {
    for (const way of NODE_WAYS) await way.send(poolOf(way), new Uint8Array(KB)); // start the workers
    for (const bytes of sizes) {
      const samples = NODE_WAYS.map(() => [] as number[]);
      const shared = new Uint8Array(bytes).fill(7);
      for (let rep = 0; rep < reps; rep++) {
        for (const way of rotate(NODE_WAYS, rep)) {
          throwIfAborted(ctx.signal);
          const data = way.method === 'transfer' ? new Uint8Array(bytes).fill(7) : shared;
          const started = performance.now();
          const seen = await way.send(poolOf(way), data);
          samples[NODE_WAYS.indexOf(way)]!.push(performance.now() - started);
          if (seen !== bytes) throw new Error(`sent ${bytes} bytes, the worker saw ${seen}`);
          ctx.tick(`node ${way.model} ${way.method} ${sizeLabel(bytes)}`);
        }
      }
      NODE_WAYS.forEach((way, i) => {
        rows.push(measuredRow(rowId('node', way.model, way.tool, way.method, bytes), samples[i]!));
      });
    }
  } finally {
    await Promise.all([threads.shutdown(), processes.shutdown()]);
  }
  return rows;
}

async function pythonRows(ctx: SuiteContext): Promise<Row[]> {
  const { bytes: sizes, reps } = PAYLOAD_SIZES[ctx.mode];
  const ids = sizes.map((bytes) => rowId('python', 'processes', 'ProcessPoolExecutor', 'pickle', bytes));
  if (!ctx.python) return ids.map((id) => skippedRow(id, PYTHON_ABSENT));
  const samples = await runPythonTimed(
    ctx.python,
    {
      reps,
      warmup: true,
      variants: ids.map((id) => ({ id: id.label, kind: 'payload-processes', bytes: id.details.bytes })),
    },
    (id) => ctx.tick(`python ${id}`),
    ctx.signal,
    'startup.py',
  );
  return ids.map((id) => measuredRow(id, samples.get(id.label)!));
}

export const payloadSuite: SuiteDefinition = {
  id: 'payload',
  python: true,
  title: 'Sending data to a worker',
  steps(ctx) {
    const { bytes, reps } = PAYLOAD_SIZES[ctx.mode];
    const python = ctx.pythonRows && ctx.python ? 1 : 0;
    return bytes.length * reps * ((ctx.node ? NODE_WAYS.length : 0) + python);
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    const { bytes: sizes, reps } = PAYLOAD_SIZES[ctx.mode];
    const rows = [...(ctx.node ? await nodeRows(ctx) : []), ...(ctx.pythonRows ? await pythonRows(ctx) : [])];
    const experiments: Experiment[] = [
      {
        id: 'payload-to-worker',
        title: 'The cost of sending data to a worker',
        description: `One task that receives ${sizes.map(sizeLabel).join(', ')} of bytes and answers with their length, on a warm pool of one worker: the time from submit to the answer, which is almost all the cost of moving the data.`,
        params: { sizes: sizes.map(sizeLabel).join(', '), workers: 1, reps },
        unit: 'ms',
        rows,
        notes: [
          'threads copy: a Uint8Array argument, copied by structured clone. threads transfer: its ArrayBuffer passed in submit(…, { transfer }), moved to the worker without a copy (the sender can no longer use it). processes copy: the same Uint8Array sent to a child process (v8.serialize, base64 in the JSON IPC message). Python: bytes pickled to a ProcessPoolExecutor worker.',
          'A transfer costs about the same at every size; a copy grows with the size. Past a few megabytes, send less (a path, a key), transfer, or share a SharedArrayBuffer.',
          'A fresh buffer is made (untimed) for each transfer, since a transferred buffer is gone from the sender.',
          ...(ctx.pythonRows && !ctx.python ? [`${PYTHON_ABSENT}.`] : []),
        ],
      },
    ];
    return {
      id: 'payload',
      title: payloadSuite.title,
      status: 'ok',
      ...(ctx.node ? {} : { note: 'Python rows only.' }),
      experiments,
    };
  },
};
