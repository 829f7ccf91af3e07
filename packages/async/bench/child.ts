/**
 * What compare.ts runs in a fresh process, started with `fork` (so with the parent's tsx loader):
 *
 *   child.ts suites '<SuiteSpec[] as JSON>'   measures suites with promise hooks on from the start
 *   child.ts rss '<RssSpec as JSON>'          one contestant's run, reporting its peak RSS growth
 *
 * and sends the result back over IPC.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { type BenchTask, type ContestantId, contestant } from './contestants.js';
import { fullGc, measureSuite, type SuiteSpec } from './harness.js';

export interface RssSpec {
  id: ContestantId;
  task: BenchTask;
  n: number;
  concurrency: number;
}

export interface RssResult {
  id: ContestantId;
  /** RSS right before the run, after a full GC, in bytes. */
  baseline: number;
  /** Highest RSS seen during the run (sampled every millisecond from another thread) minus baseline. */
  peakGrowth: number;
  /** RSS at the end of the run minus baseline. */
  endGrowth: number;
  /** The kernel's high-water mark (getrusage maxRSS) minus baseline, when the run raised it; else null. */
  maxRssGrowth: number | null;
  samples: number;
}

// The sampler runs in its own thread, because a run of synchronous no-op tasks is one long chain of
// microtasks during which no timer of the main thread fires. RSS is per process, so any thread sees it.
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

async function measureRss(spec: RssSpec): Promise<RssResult> {
  const prepared = contestant(spec.id).prepare(spec.task, spec.n, spec.concurrency);
  // [0] peak RSS, [1] stop flag, [2] samples taken
  const shared = new BigInt64Array(new SharedArrayBuffer(3 * 8));
  const sampler = new Worker(samplerSource, { eval: true, workerData: shared.buffer, execArgv: [] });
  while (Atomics.load(shared, 2) === 0n) await sleep(5);
  fullGc();
  await sleep(20);
  const baseline = process.memoryUsage.rss();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  Atomics.store(shared, 0, BigInt(baseline));
  Atomics.store(shared, 2, 0n);
  const seen = await prepared.run();
  const end = process.memoryUsage.rss();
  Atomics.store(shared, 1, 1n);
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;
  const peak = Math.max(Number(Atomics.load(shared, 0)), end);
  const samples = Number(Atomics.load(shared, 2));
  await sampler.terminate();
  await prepared.dispose();
  if (seen !== spec.n) throw new Error(`${spec.id}: saw ${seen} results of ${spec.n} tasks`);
  return {
    id: spec.id,
    baseline,
    peakGrowth: peak - baseline,
    endGrowth: end - baseline,
    maxRssGrowth: maxRssAfter > maxRssBefore ? maxRssAfter - baseline : null,
    samples,
  };
}

/** Sends the result and closes the channel once it is written, so that the process can exit. */
function reply(message: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, (error: Error | null) => {
      if (error) return reject(error);
      process.disconnect();
      resolve();
    }),
  );
}

async function main(): Promise<void> {
  const [mode, payload] = process.argv.slice(2);
  if (!process.send || payload === undefined) throw new Error('child.ts is started by compare.ts');
  if (mode === 'suites') {
    // forkroad runs async-function tasks (tick, asyncNoop) inside AsyncLocalStorage, whose first
    // run turns on promise hooks for the rest of the process. Turning them on first puts every
    // contestant, warm-up included, under the same conditions.
    new AsyncLocalStorage().run(true, () => {});
    const results = [];
    for (const spec of JSON.parse(payload) as SuiteSpec[]) {
      results.push(await measureSuite(spec, (line) => process.stderr.write(`  ${line}\n`)));
    }
    await reply(results);
  } else if (mode === 'rss') {
    await reply(await measureRss(JSON.parse(payload) as RssSpec));
  } else {
    throw new Error(`unknown mode '${mode}'`);
  }
}

await main();
