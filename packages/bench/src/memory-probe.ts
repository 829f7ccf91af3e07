/**
 * One memory measurement in a fresh Node process (run by the memory suite, one process per sample,
 * so that no earlier allocation hides in the heap's slack):
 *
 *   node --expose-gc memory-probe.js <kind> <n>
 *
 * kinds: `async` (n pending tasks on @forkroad/async), `async-bare` (n pending async functions),
 * `threads` (n worker threads of @forkroad/threads), `processes` (n child processes of
 * @forkroad/processes), `map-peak` and `p-map-peak` (the peak RSS growth while n async no-op tasks
 * run through @forkroad/async's map or p-map, at concurrency 100: one unit, the whole run).
 * Prints one JSON line: `{ perUnit, heapPerUnit?, virtualPerUnit?, pssPerUnit? }` in bytes, where
 * perUnit is resident memory (RSS) per unit.
 */

import { Worker } from 'node:worker_threads';
import { createExecutor as createAsync } from '@forkroad/async';
import { createExecutor as createProcesses } from '@forkroad/processes';
import { createExecutor as createThreads } from '@forkroad/threads';
import pMap from 'p-map';
import { fullGc, memorySnapshot } from './measure.js';
import * as asyncNoopTasks from './tasks/async-noop.js';
import type * as MemoryTasks from './tasks/memory.js';

interface ProbeResult {
  perUnit: number;
  units: number;
  heapPerUnit?: number;
  virtualPerUnit?: number;
  pssPerUnit?: number;
}

const settle = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  fullGc();
  fullGc();
  await new Promise((resolve) => setTimeout(resolve, 20));
};

function snapshot() {
  return { ...memorySnapshot(), heap: process.memoryUsage().heapUsed };
}

type Snapshot = ReturnType<typeof snapshot>;

function perUnit(before: Snapshot, after: Snapshot, n: number): ProbeResult {
  const result: ProbeResult = {
    perUnit: Math.max(0, (after.rss - before.rss) / n),
    units: n,
    heapPerUnit: Math.max(0, (after.heap - before.heap) / n),
  };
  if (before.vsize !== null && after.vsize !== null) {
    result.virtualPerUnit = Math.max(0, (after.vsize - before.vsize) / n);
  }
  return result;
}

/** n tasks in flight at once, each awaiting one shared promise: the cost of a pending task. */
async function pendingAsync(n: number, bare: boolean): Promise<ProbeResult> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tasks = {
    async wait(): Promise<void> {
      await gate;
    },
  };
  const pool = bare ? null : createAsync(tasks, { concurrency: n + 100 });
  const start = (): Promise<void> => (pool ? pool.submit('wait', []) : tasks.wait());
  // Warm the code paths before the baseline.
  const warm = Array.from({ length: 100 }, start);
  await settle();
  const before = snapshot();
  const pending = new Array<Promise<void>>(n);
  for (let i = 0; i < n; i++) pending[i] = start();
  await settle();
  const after = snapshot();
  release();
  await Promise.all([...pending, ...warm]);
  await pool?.shutdown();
  return perUnit(before, after, n);
}

/** n workers started (each busy with one call at once), measured from this process. */
async function threads(n: number): Promise<ProbeResult> {
  const pool = createThreads<typeof MemoryTasks>(new URL('./tasks/memory.js', import.meta.url), {
    concurrency: n,
  });
  await settle();
  const before = snapshot();
  await Promise.all(Array.from({ length: n }, () => pool.submit('hold', [300])));
  await settle();
  const after = snapshot();
  await pool.shutdown();
  return perUnit(before, after, n);
}

/** n child processes started; each reports its own resident (and proportional) size. */
async function processes(n: number): Promise<ProbeResult> {
  const pool = createProcesses<typeof MemoryTasks>(new URL('./tasks/memory.js', import.meta.url), {
    concurrency: n,
    execArgv: [],
  });
  const reports = await Promise.all(Array.from({ length: n }, () => pool.submit('hold', [300])));
  await pool.shutdown();
  const byPid = new Map(reports.map((r) => [r.pid, r]));
  const each = [...byPid.values()];
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const result: ProbeResult = { perUnit: mean(each.map((r) => r.rss)), units: each.length };
  const pss = each.map((r) => r.pss).filter((v): v is number => v !== null);
  const vsize = each.map((r) => r.vsize).filter((v): v is number => v !== null);
  if (pss.length === each.length) result.pssPerUnit = mean(pss);
  if (vsize.length === each.length) result.virtualPerUnit = mean(vsize);
  return result;
}

// The sampler runs in its own thread: a run of async no-op tasks is one long chain of microtasks
// during which no timer of the main thread fires. RSS is per process, so any thread sees it.
const samplerSource = `
const { workerData } = require('node:worker_threads');
const shared = new BigInt64Array(workerData);
const sample = () => {
  const rss = BigInt(process.memoryUsage.rss());
  if (rss > Atomics.load(shared, 0)) Atomics.store(shared, 0, rss);
  Atomics.add(shared, 2, 1n);
  if (Atomics.load(shared, 1) !== 0n) clearInterval(timer);
};
const timer = setInterval(sample, 1);
sample();
`;

/** The peak RSS above the start while n async no-op tasks run through a map (one unit: the run). */
async function mapPeak(n: number, library: 'forkroad' | 'p-map'): Promise<ProbeResult> {
  const inputs = new Array<undefined>(n).fill(undefined);
  const pool = library === 'forkroad' ? createAsync(asyncNoopTasks, { concurrency: 100 }) : null;
  // [0] peak RSS, [1] stop flag, [2] samples taken
  const shared = new BigInt64Array(new SharedArrayBuffer(3 * 8));
  const sampler = new Worker(samplerSource, { eval: true, workerData: shared.buffer, execArgv: [] });
  while (Atomics.load(shared, 2) === 0n) await new Promise((resolve) => setTimeout(resolve, 5));
  await settle();
  const baseline = process.memoryUsage.rss();
  const highWaterBefore = process.resourceUsage().maxRSS * 1024;
  Atomics.store(shared, 0, BigInt(baseline));
  let seen = 0;
  if (pool) {
    for await (const _ of pool.map('noop', inputs)) seen++;
  } else {
    seen = (await pMap(inputs, asyncNoopTasks.noop, { concurrency: 100 })).length;
  }
  const end = process.memoryUsage.rss();
  Atomics.store(shared, 1, 1n);
  const highWater = process.resourceUsage().maxRSS * 1024;
  const peak = Math.max(Number(Atomics.load(shared, 0)), end, highWater > highWaterBefore ? highWater : 0);
  await sampler.terminate();
  await pool?.shutdown();
  if (seen !== n) throw new Error(`memory-probe ${library}: ${seen} of ${n} results`);
  return { perUnit: Math.max(0, peak - baseline), units: 1 };
}

const [kind, count] = process.argv.slice(2);
const n = Number(count);
if (!Number.isSafeInteger(n) || n < 1) throw new Error(`memory-probe: bad count ${count}`);
const result =
  kind === 'async' || kind === 'async-bare'
    ? await pendingAsync(n, kind === 'async-bare')
    : kind === 'threads'
      ? await threads(n)
      : kind === 'processes'
        ? await processes(n)
        : kind === 'map-peak' || kind === 'p-map-peak'
          ? await mapPeak(n, kind === 'map-peak' ? 'forkroad' : 'p-map')
          : null;
if (result === null) throw new Error(`memory-probe: unknown kind ${kind}`);
process.stdout.write(`${JSON.stringify(result)}\n`);
