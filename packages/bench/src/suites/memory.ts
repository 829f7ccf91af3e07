import { fileURLToPath } from 'node:url';
import { PYTHON_ABSENT, type SuiteContext, type SuiteDefinition, throwIfAborted } from '../context.js';
import { runJsonChild } from '../json-child.js';
import { measuredRow, type RowIdentity, setRatios, skippedRow } from '../measure.js';
import { type PythonMemory, runPythonMemory } from '../python.js';
import type { Backend, BenchMode, Experiment, Row, Suite } from '../types.js';

export const MEMORY_SIZES: Record<
  BenchMode,
  {
    tasks: number;
    threads: number;
    processes: number;
    pythonThreads: number;
    mapTasks: number;
    reps: number;
  }
> = {
  smoke: { tasks: 1000, threads: 1, processes: 1, pythonThreads: 4, mapTasks: 2000, reps: 1 },
  quick: { tasks: 10000, threads: 2, processes: 2, pythonThreads: 20, mapTasks: 100_000, reps: 2 },
  full: { tasks: 20000, threads: 4, processes: 4, pythonThreads: 50, mapTasks: 100_000, reps: 5 },
};

/** Which experiment a probe's rows go to; `async-map` is the peak RSS of a whole map. */
type Group = 'async' | 'threads' | 'processes' | 'async-map';

interface Probe {
  group: Group;
  id: RowIdentity;
  n: number;
  measure(): Promise<PythonMemory & { heapPerUnit?: number }>;
}

const probeScript = fileURLToPath(new URL('../memory-probe.js', import.meta.url));

/** One sample of dist/memory-probe.js in a fresh Node process. */
function nodeProbe(
  kind: string,
  n: number,
  signal?: AbortSignal,
): Promise<PythonMemory & { heapPerUnit?: number }> {
  return runJsonChild(
    `memory-probe ${kind} ${n}`,
    process.execPath,
    ['--expose-gc', probeScript, kind, String(n)],
    {
      signal,
    },
  );
}

function probes(ctx: SuiteContext): { probes: Probe[]; skipped: { group: Group; row: Row }[] } {
  const s = MEMORY_SIZES[ctx.mode];
  const list: Probe[] = [];
  const skipped: { group: Group; row: Row }[] = [];
  if (ctx.node) {
    const node = (group: Group, label: string, tool: string, kind: string, n: number): Probe => ({
      group,
      id: { label, runtime: 'node', model: group === 'async-map' ? 'async' : group, tool },
      n,
      measure: () => nodeProbe(kind, n, ctx.signal),
    });
    const nodeProbes: Probe[] = [
      node('async', 'async function', 'async function + await', 'async-bare', s.tasks),
      node('async', '@forkroad/async task', '@forkroad/async', 'async', s.tasks),
      node('threads', 'worker thread', '@forkroad/threads', 'threads', s.threads),
      node('processes', 'child process', '@forkroad/processes', 'processes', s.processes),
      node('async-map', '@forkroad/async map', '@forkroad/async', 'map-peak', s.mapTasks),
      node('async-map', 'p-map', 'p-map', 'p-map-peak', s.mapTasks),
    ];
    list.push(...nodeProbes.filter((p) => ctx.backends.has(p.id.model as Backend)));
  }
  if (ctx.pythonRows) {
    const python = ctx.python;
    const pythonProbes: Probe[] = [
      {
        group: 'async',
        id: { label: 'asyncio task', runtime: 'python', model: 'async', tool: 'asyncio.create_task' },
        n: s.tasks,
        measure: () => runPythonMemory(python!, 'asyncio', s.tasks, ctx.signal),
      },
      {
        group: 'threads',
        id: { label: 'thread', runtime: 'python', model: 'threads', tool: 'ThreadPoolExecutor' },
        n: s.pythonThreads,
        measure: () => runPythonMemory(python!, 'threads', s.pythonThreads, ctx.signal),
      },
      {
        group: 'processes',
        id: { label: 'child process', runtime: 'python', model: 'processes', tool: 'ProcessPoolExecutor' },
        n: s.processes,
        measure: () => runPythonMemory(python!, 'processes', s.processes, ctx.signal),
      },
    ];
    if (python) list.push(...pythonProbes);
    else {
      for (const p of pythonProbes)
        skipped.push({ group: p.group, row: skippedRow({ ...p.id, details: { n: p.n } }, PYTHON_ABSENT) });
    }
  }
  return { probes: list, skipped };
}

export const memorySuite: SuiteDefinition = {
  id: 'memory',
  python: true,
  title: 'Memory per unit of concurrency',
  steps(ctx) {
    return probes(ctx).probes.length * MEMORY_SIZES[ctx.mode].reps;
  },
  async run(ctx: SuiteContext): Promise<Suite> {
    const { reps } = MEMORY_SIZES[ctx.mode];
    const plan = probes(ctx);
    const samples = plan.probes.map(() => [] as (PythonMemory & { heapPerUnit?: number })[]);
    for (let rep = 0; rep < reps; rep++) {
      const k = plan.probes.length ? rep % plan.probes.length : 0;
      const order = [...plan.probes.slice(k), ...plan.probes.slice(0, k)];
      for (const probe of order) {
        throwIfAborted(ctx.signal);
        samples[plan.probes.indexOf(probe)]!.push(await probe.measure());
        ctx.tick(`${probe.id.runtime} ${probe.id.label}`);
      }
    }
    const rowsOf = (group: Group): Row[] => {
      const rows: Row[] = [];
      plan.probes.forEach((probe, i) => {
        if (probe.group !== group) return;
        const taken = samples[i]!;
        const details: Record<string, number> = { n: probe.n };
        const medianOf = (key: 'heapPerUnit' | 'virtualPerUnit' | 'pssPerUnit') => {
          const values = taken.map((t) => t[key]).filter((v): v is number => typeof v === 'number');
          if (values.length) details[key] = Math.round(values.sort((a, b) => a - b)[values.length >> 1]!);
        };
        medianOf('heapPerUnit');
        medianOf('virtualPerUnit');
        medianOf('pssPerUnit');
        const row = measuredRow(
          { ...probe.id, details },
          taken.map((t) => Math.round(t.perUnit)),
          15,
        );
        row.median = Math.round(row.median);
        rows.push(row);
      });
      for (const s of plan.skipped) if (s.group === group) rows.push(s.row);
      return rows;
    };
    const s = MEMORY_SIZES[ctx.mode];
    const absent = ctx.pythonRows && !ctx.python ? [`${PYTHON_ABSENT}.`] : [];
    const method =
      'Each sample runs in a fresh process (node --expose-gc, or a fresh python3) so that no earlier allocation hides in the heap; garbage is collected before each reading; samples alternate between the rows in a rotated order.';
    const experiments: Experiment[] = [
      {
        id: 'memory-async-task',
        title: 'Memory per pending async task',
        description: `Resident memory (RSS) added per task in flight, with ${s.tasks.toLocaleString('en-US')} tasks all waiting on one promise (Node) or one asyncio.Event (Python), divided by their number.`,
        params: { tasks: s.tasks, reps },
        unit: 'bytes',
        rows: rowsOf('async'),
        notes: [
          "The guide's claim: about 1 KB per coroutine. A pending task is a few heap objects: its promise or coroutine frame, and the executor's bookkeeping.",
          '@forkroad/async task: submit() on an executor whose concurrency lets every task run; it adds the queue entry, the task context and the returned promise to the bare async function. details.heapPerUnit is the V8 heap growth per task.',
          method,
          ...absent,
        ],
      },
      {
        id: 'memory-thread',
        title: 'Memory per thread',
        description: `RSS added per started worker thread of @forkroad/threads (${s.threads} started), and per Python thread blocked in a ThreadPoolExecutor (${s.pythonThreads} started).`,
        params: { nodeThreads: s.threads, pythonThreads: s.pythonThreads, reps },
        unit: 'bytes',
        rows: rowsOf('threads'),
        notes: [
          "The guide's claim: about 8 MB per thread. That is the stack a thread reserves (address space, details.virtualPerUnit), not memory it uses: a blocked Python thread touches a few tens of KB.",
          'A Node worker thread is a different animal: a whole V8 isolate with its own heap, event loop and copy of the module graph, so it costs megabytes of real memory. That is why worker pools stay near the number of cores and thousands of waits go to the event loop instead.',
          method,
          ...absent,
        ],
      },
      {
        id: 'memory-process',
        title: 'Memory per child process',
        description: `The RSS of each worker process of @forkroad/processes and of a ProcessPoolExecutor (${s.processes} started), as each worker reports it.`,
        params: { processes: s.processes, reps },
        unit: 'bytes',
        rows: rowsOf('processes'),
        notes: [
          'RSS counts shared pages (the interpreter binary, shared libraries, and on Linux the pages a forked Python worker still shares with its parent) in full in every process. details.pssPerUnit (Linux) divides each shared page among the processes that map it: closer to what one more worker really adds.',
          "A Node child process is a fresh Node.js: its own V8, heap and module graph. Python up to 3.13 forks its workers on Linux (this run's Python is in the machine's description), and they share the parent's pages until written; since Python 3.14 Linux's default start method is forkserver, whose workers fork from a small server process instead of from the program, so they share less of it.",
          method,
          ...absent,
        ],
      },
    ];
    const mapRows = rowsOf('async-map');
    if (mapRows.length > 0) {
      setRatios(mapRows, 'p-map', (row, base) => row.median / base.median);
      experiments.push({
        id: 'memory-async-map',
        title: `Peak memory of a map over ${s.mapTasks.toLocaleString('en-US')} async tasks`,
        description: `The highest RSS reached, above the RSS before, while ${s.mapTasks.toLocaleString('en-US')} async no-op tasks run through @forkroad/async's map and through p-map, at concurrency 100.`,
        params: { tasks: s.mapTasks, concurrency: 100, reps },
        unit: 'bytes',
        baseline: 'p-map',
        ratioLabel: '× p-map',
        rows: mapRows,
        notes: [
          "RSS is sampled every millisecond from a second thread (the main thread is busy with the tasks); the peak is also checked against the kernel's high-water mark. The ratio is over p-map's peak: below 1 uses less.",
          "p-map collects every result into an array before it returns; forkroad's map yields them one at a time, so the caller decides what to keep.",
          method,
        ],
      });
    }
    return {
      id: 'memory',
      title: memorySuite.title,
      status: 'ok',
      ...(ctx.node ? {} : { note: 'Python rows only.' }),
      experiments,
    };
  },
};
