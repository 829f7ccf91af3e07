// classifyFunction: measure a JavaScript function in this process, or in a dedicated worker.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CPU_BOUND_AT,
  computeShare,
  formatMs,
  formatShare,
  formatWaitShare,
  IO_BOUND_AT,
  karpFlatt,
  type Penalty,
} from './analysis.js';
import { cpuSnapshot, measureCapacity, threadPoolSize } from './capacity.js';
import {
  type ConcurrentSpan,
  compileFunction,
  FunctionProbe,
  onLoopMs,
  type RunSample,
  type ThreadCpuSource,
} from './probe.js';
import { hasProc } from './procfs.js';
import { assembleReport, mean, round } from './report.js';
import { discoverThreadPool, knownPoolTids } from './self-threads.js';
import { countsTowardLabel, THREAD_KIND_LABEL } from './thread-kinds.js';
import { PENALTY, RUN_QUEUE_SHOWN_AT } from './thresholds.js';
import { cpuByThreadLine } from './tree-analysis.js';
import type {
  ConcurrencyModel,
  CpuSite,
  FunctionDetails,
  ProbeResult,
  ThreadKind,
  ThreadKindUsage,
  WorkloadReport,
} from './types.js';
import type { WorkerCommand, WorkerInit, WorkerReply } from './worker.js';

export interface ClassifyFunctionOptions<A extends unknown[] = unknown[]> {
  /** Arguments of every call. With `isolate` they must be structured-cloneable. */
  args?: A;
  /** Measured runs (default 3). */
  runs?: number;
  /** Calls before measuring, to let the JIT compile the code; not measured (default 1). */
  warmup?: number;
  /**
   * Run the function in a dedicated worker thread, away from whatever else this thread does.
   * The function is sent as source text (`fn.toString()`), so it must be self-contained: it may
   * use its arguments, globals, `require()` and `await import()`, but not variables it closes
   * over or imports of the module that defines it.
   */
  isolate?: boolean;
  /**
   * Two-point probe: also start this many copies at once (≥ 2) and measure the speedup against
   * one, which gives the Karp–Flatt serial fraction. Calls on one event loop probe `async`; with
   * `isolate`, as many workers at once also probe `threads`.
   */
  probe?: number;
  /**
   * Copies in flight the speedup estimates assume. Default: async 100; threads and processes
   * enough to keep the free CPUs busy (free CPUs ÷ compute share, at most 64).
   */
  workers?: Partial<Record<ConcurrencyModel, number>>;
}

export function checkCount(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return v;
}

/**
 * Measures `fn` and says whether it is CPU-bound (on the main thread or off it), I/O-bound or
 * mixed. Warm-up calls are discarded; each measured call records wall time, CPU of the process
 * and of the calling thread, run-queue wait, event-loop utilization, GC pauses and resource
 * usage. A call that throws rejects the classification with that error.
 */
export async function classifyFunction<A extends unknown[]>(
  fn: (...args: A) => unknown,
  options: ClassifyFunctionOptions<A> = {},
): Promise<WorkloadReport> {
  if (typeof fn !== 'function') throw new TypeError('classifyFunction: fn must be a function');
  const runs = checkCount('runs', options.runs, 3, 1);
  const warmup = checkCount('warmup', options.warmup, 1, 0);
  const copies = options.probe === undefined ? 0 : checkCount('probe', options.probe, 0, 2);
  const args = (options.args ?? []) as A;

  await discoverThreadPool();
  const measured = options.isolate
    ? await measureIsolated(fn, args, runs, warmup, copies)
    : await measureHere(fn, args, runs, warmup, copies);
  return buildFunctionReport(measured, warmup, options);
}

interface FunctionMeasurement {
  isolated: boolean;
  samples: RunSample[];
  threadCpuSource: ThreadCpuSource;
  windowMs: number;
  capacity: ReturnType<typeof measureCapacity>;
  probes: { model: ConcurrencyModel; copies: number; allMs: number }[];
}

async function measureHere<A extends unknown[]>(
  fn: (...args: A) => unknown,
  args: A,
  runs: number,
  warmup: number,
  copies: number,
): Promise<FunctionMeasurement> {
  const probe = new FunctionProbe(false, knownPoolTids());
  const call = () => fn(...args);
  try {
    for (let i = 0; i < warmup; i++) await probe.warm(call);
    const cpus0 = cpuSnapshot();
    const t0 = performance.now();
    const samples: RunSample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await probe.measure(call));
    const windowMs = performance.now() - t0;
    const own = samples.reduce((a, s) => a + s.cpuMs, 0);
    const capacity = measureCapacity(cpus0, cpuSnapshot(), windowMs, own);
    const probes: FunctionMeasurement['probes'] = [];
    if (copies >= 2) {
      const span = await probe.concurrent(call, copies);
      probes.push({ model: 'async', copies, allMs: onLoopMs(span) });
    }
    return { isolated: false, samples, threadCpuSource: probe.threadCpuSource, windowMs, capacity, probes };
  } finally {
    probe.close();
  }
}

/** The compiled worker; from source (tests run `src/`), the one built into `dist/`. */
function workerUrl(): URL {
  const url = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(url))) return url;
  const built = new URL('../dist/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('classifyFunction: worker.js not found; build @forkroad/classify first');
}

class IsolatedWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  readonly ready: Promise<unknown>;

  constructor(source: string, args: unknown[]) {
    this.worker = new Worker(workerUrl(), {
      workerData: { source, args, poolTids: knownPoolTids() } satisfies WorkerInit,
    });
    this.ready = new Promise((resolve, reject) => this.pending.set(0, { resolve, reject }));
    this.worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    const failAll = (error: Error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) =>
      failAll(new Error(`classifyFunction: the isolate worker exited (code ${code})`)),
    );
  }

  request<T>(req: WorkerCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

async function measureIsolated<A extends unknown[]>(
  fn: (...args: A) => unknown,
  args: A,
  runs: number,
  warmup: number,
  copies: number,
): Promise<FunctionMeasurement> {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new TypeError(
      'classifyFunction: isolate needs a function with its own source, not a native or bound one',
    );
  }
  compileFunction(source); // fail early, here, on source that does not compile alone
  const workers = [new IsolatedWorker(source, args)];
  try {
    const main = workers[0]!;
    await main.ready;
    if (warmup > 0) await main.request({ op: 'warm', n: warmup });
    const cpus0 = cpuSnapshot();
    const t0 = performance.now();
    const { samples, threadCpuSource } = await main.request<{
      samples: RunSample[];
      threadCpuSource: ThreadCpuSource;
    }>({ op: 'measure', n: runs });
    const windowMs = performance.now() - t0;
    const own = samples.reduce((a, s) => a + s.cpuMs, 0);
    const capacity = measureCapacity(cpus0, cpuSnapshot(), windowMs, own);
    const probes: FunctionMeasurement['probes'] = [];
    if (copies >= 2) {
      const one = await main.request<ConcurrentSpan>({ op: 'concurrent', copies });
      probes.push({ model: 'async', copies, allMs: onLoopMs(one) });
      for (let i = 1; i < copies; i++) workers.push(new IsolatedWorker(source, args));
      await Promise.all(workers.map((w) => w.ready));
      await Promise.all(workers.slice(1).map((w) => w.request({ op: 'warm', n: Math.max(1, warmup) })));
      const spans = await Promise.all(
        workers.map((w) => w.request<ConcurrentSpan>({ op: 'concurrent', copies: 1 })),
      );
      const allMs = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
      probes.push({ model: 'threads', copies, allMs });
    }
    return { isolated: true, samples, threadCpuSource, windowMs, capacity, probes };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}

function buildFunctionReport(
  m: FunctionMeasurement,
  warmup: number,
  options: { workers?: Partial<Record<ConcurrencyModel, number>> | undefined },
): WorkloadReport {
  const { samples } = m;
  const avg = (key: keyof RunSample) => mean(samples.map((s) => s[key] as number));
  const wall = avg('wallMs');
  const interference = avg('interferenceMs');
  // Callbacks that were not the function's ran on its thread: leave their time out. That time
  // was spent on CPU or waiting for one, so both shrink in proportion.
  const ownShare = (s: RunSample) => {
    const busyMs = s.threadCpuMs + s.threadRunQueueMs;
    return busyMs > 0 ? Math.max(0, busyMs - s.interferenceMs) / busyMs : 1;
  };
  const threadOwn = (s: RunSample) => s.threadCpuMs * ownShare(s);
  const queueOwn = (s: RunSample) => s.runQueueMs - s.threadRunQueueMs * (1 - ownShare(s));
  const threadCpu = mean(samples.map(threadOwn));
  // V8's helper threads (compiling, concurrent GC) serve the JavaScript thread: on a first call
  // they compile what the function loads. Reported, not counted toward the label.
  const helper = (s: RunSample) => s.offThreadCpuByKind?.['runtime-helper'] ?? 0;
  const offCounted = (s: RunSample) => Math.max(0, s.offThreadCpuMs - helper(s));
  const helperCpu = mean(samples.map(helper));
  const offCpu = mean(samples.map(offCounted));
  const cpu = threadCpu + offCpu;
  const runQueue = mean(samples.map(queueOwn));
  const busiest = mean(
    samples.map((s) =>
      Math.max(threadOwn(s), s.busiestThreadCpuMs > s.threadCpuMs ? s.busiestThreadCpuMs : 0),
    ),
  );
  const shares = samples.map((s) => computeShare(s.wallMs, threadOwn(s) + offCounted(s), queueOwn(s)));
  // CPU ÷ busiest thread's CPU is the parallelism if the threads ran side by side; they cannot
  // have run on more CPUs than were free.
  const parallelism =
    cpu >= 10 && wall > 0
      ? Math.max(cpu / wall, Math.min(cpu / Math.max(busiest, 1e-9), m.capacity.cores))
      : 1;
  const cpuSite: CpuSite =
    cpu < Math.max(2, 0.05 * wall) ? 'none' : threadCpu >= 0.5 * cpu ? 'main-thread' : 'off-main-thread';
  const share = computeShare(wall, cpu, runQueue);
  // The event loop was busy with the other work too.
  const elu = mean(
    samples.map((s) =>
      Math.max(0, s.eventLoopUtilization - (s.wallMs > 0 ? s.interferenceMs / s.wallMs : 0)),
    ),
  );
  const gc = avg('gcMs');
  const thread = m.isolated ? 'the worker thread' : 'the main thread';

  const byKind: Partial<Record<ThreadKind, number>> = {};
  for (const smp of samples) {
    for (const [k, v] of Object.entries(smp.offThreadCpuByKind ?? {}) as [ThreadKind, number][]) {
      byKind[k] = (byKind[k] ?? 0) + v / samples.length;
    }
  }
  const threads: ThreadKindUsage[] = [
    {
      kind: m.isolated ? 'worker' : 'main',
      threads: 1,
      cpuMs: round(threadCpu),
      runQueueMs: round(mean(samples.map((x) => x.threadRunQueueMs))),
      names: [],
      counted: true,
    },
    ...(Object.entries(byKind) as [ThreadKind, number][])
      .filter(([, ms]) => round(ms) > 0)
      .map(([kind, ms]) => ({
        kind,
        threads: Math.max(...samples.map((x) => x.activeThreadsByKind[kind] ?? 0)),
        cpuMs: round(ms),
        runQueueMs: 0,
        names: [],
        counted: countsTowardLabel(kind),
      })),
  ];
  const evidence: string[] = [];
  if (share > IO_BOUND_AT && cpuSite === 'main-thread') {
    evidence.push(
      `${thread} was on CPU ${formatShare(threadCpu / wall)} of the time (${formatMs(threadCpu)} per run): synchronous work that blocks its event loop; only worker threads or processes run more of it at once`,
    );
  } else if (share > IO_BOUND_AT && cpuSite === 'off-main-thread') {
    evidence.push(
      `${formatMs(offCpu)} of CPU per run on other threads of the process (${offThreadWhere(byKind)}), ${(offCpu / wall).toFixed(2)} CPUs on average, while ${thread} was on CPU ${formatShare(threadCpu / wall)}: CPU-bound off the main thread`,
    );
  }
  if (helperCpu >= 2 && helperCpu >= 0.05 * (cpu + helperCpu)) {
    evidence.push(
      `${formatMs(helperCpu)} of CPU per run on V8's helper threads (compiling code the call loaded, concurrent GC), left out of the label: it serves ${thread}, it is not work the function asked for`,
    );
  }
  const blocked = Math.max(0, wall - cpu - runQueue);
  if (share < CPU_BOUND_AT) {
    evidence.push(
      `blocked ${formatShare(blocked / wall)} of the time, waiting on timers, sockets, files or the thread pool; event loop busy ${formatShare(elu)}`,
    );
  }
  evidence.push(
    `CPU ${formatMs(cpu + helperCpu)} over ${formatMs(wall)} wall per run (CPU ÷ wall ${((cpu + helperCpu) / wall).toFixed(2)}; ${formatMs(threadCpu)} on ${thread}, ${formatMs(offCpu + helperCpu)} on other threads), mean of ${samples.length} run${samples.length === 1 ? '' : 's'} after ${warmup} warm-up`,
  );
  if (runQueue >= RUN_QUEUE_SHOWN_AT * wall) {
    evidence.push(
      `runnable but waiting for a CPU ${formatMs(runQueue)} per run (${formatWaitShare(runQueue, wall)}): the machine is short of CPUs`,
    );
  }
  if (gc >= 0.05 * wall)
    evidence.push(`garbage collection paused ${formatMs(gc)} per run (${formatShare(gc / wall)})`);
  const byThread = cpuByThreadLine(threads, ' per run');
  if (byThread) evidence.push(byThread);
  const fsReads = avg('fsReads');
  const fsWrites = avg('fsWrites');
  if (fsReads + fsWrites > 0) {
    evidence.push(
      `file-system operations per run (process-wide): ${round(fsReads)} reads, ${round(fsWrites)} writes`,
    );
  }
  const vcs = avg('voluntaryContextSwitches');
  const ivcs = avg('involuntaryContextSwitches');
  evidence.push(
    `${round(vcs, 0)} voluntary (blocked) vs ${round(ivcs, 0)} involuntary (preempted) context switches per run, process-wide`,
  );

  const penalties: Penalty[] = [];
  if (interference >= 0.05 * wall) {
    const f = interference / wall;
    penalties.push({
      factor: Math.max(0.4, 1 - 1.5 * f),
      reason: `other work ran ${formatMs(interference)} per run (${formatShare(f)} of the wall time) on the same thread while measuring; that time was left out, but the numbers are less certain (use isolate: true)`,
    });
  }
  if (m.threadCpuSource === 'event-loop') {
    penalties.push({
      factor: PENALTY.estimatedThreadCpu,
      reason: "no per-thread CPU accounting here: the thread's CPU was estimated from event-loop utilization",
    });
  }
  if (m.isolated && !hasProc()) {
    penalties.push({
      factor: PENALTY.estimatedThreadCpu,
      reason: "without Linux /proc, the worker's helper-thread CPU includes the rest of the process",
    });
  }
  if (samples.length === 1) penalties.push({ factor: PENALTY.singleRun, reason: 'a single measured run' });

  // On one event loop the copies take turns on one thread: the time that thread waited for a CPU
  // held by other programs is left out of both sides, and the fastest run stands for one copy,
  // so a loaded machine does not look like overlap. Threads keep the wall time: a busy machine
  // really does limit what they gain.
  const oneOnLoop = Math.min(...samples.map((s) => s.wallMs - s.threadRunQueueMs));
  const probes: ProbeResult[] = m.probes.map((p) => {
    const one = p.model === 'async' ? oneOnLoop : wall;
    const speedup = p.allMs > 0 ? (p.copies * one) / p.allMs : 1;
    return {
      model: p.model,
      copies: p.copies,
      oneMs: one,
      allMs: p.allMs,
      speedup,
      serialFraction: karpFlatt(speedup, p.copies),
    };
  });

  const base = assembleReport({
    target: 'function',
    wallMs: wall,
    cpuMs: cpu + helperCpu,
    runQueueMs: runQueue,
    label: { wallMs: wall, cpuMs: cpu, runQueueMs: runQueue },
    serialMs: threadCpu,
    threadPoolCpuMs: offCpu,
    threadPoolSize: threadPoolSize(),
    parallelism,
    cpuSite,
    capacity: m.capacity,
    shares,
    probes,
    evidence,
    penalties,
    workers: options.workers,
  });
  const details: FunctionDetails = {
    isolated: m.isolated,
    warmup,
    threadCpuSource: m.threadCpuSource,
    threadCpuMs: round(threadCpu),
    offThreadCpuMs: round(offCpu + helperCpu),
    runQueueMs: round(runQueue),
    eventLoopUtilization: round(elu, 3),
    gcMs: round(gc),
    interferenceMs: round(interference),
    fsReads: round(fsReads),
    fsWrites: round(fsWrites),
    voluntaryContextSwitches: round(vcs),
    involuntaryContextSwitches: round(ivcs),
    samples: samples.map(
      ({ threadRunQueueMs: _q, busiestThreadCpuMs: _b, activeThreadsByKind: _a, ...s }) => ({
        ...s,
        wallMs: round(s.wallMs, 2),
        cpuMs: round(s.cpuMs, 2),
        threadCpuMs: round(s.threadCpuMs, 2),
        offThreadCpuMs: round(s.offThreadCpuMs, 2),
        runQueueMs: round(s.runQueueMs, 2),
        eventLoopUtilization: round(s.eventLoopUtilization, 3),
        gcMs: round(s.gcMs, 2),
        interferenceMs: round(s.interferenceMs, 2),
      }),
    ),
  };
  return { ...base, threads, function: details };
}

/** Where the off-thread CPU went, for the evidence line. */
function offThreadWhere(byKind: Partial<Record<ThreadKind, number>>): string {
  const parts = (Object.entries(byKind) as [ThreadKind, number][])
    .filter(([kind, ms]) => ms >= 0.5 && countsTowardLabel(kind))
    .sort((a, b) => b[1] - a[1])
    .map(([kind, ms]) => `${THREAD_KIND_LABEL[kind]} ${formatMs(ms)}`);
  return parts.length > 0 ? parts.join(', ') : "libuv's thread pool: async crypto, zlib, fs";
}
