// Measures calls of a function on the current thread: the main thread, or the worker thread of
// `isolate`. One instance per classification.
import { AsyncResource, createHook, executionAsyncId } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { hasProc, readThreadSelfSchedstat, readThreadsSchedstat, type SchedStat, selfTid } from './procfs.js';
import { selfThreadKinds } from './self-threads.js';
import { countsTowardLabel } from './thread-kinds.js';
import type { FunctionRunSample, ThreadKind } from './types.js';

/** A measured run plus what only the aggregation needs. */
export interface RunSample extends FunctionRunSample {
  /** Run-queue wait of the thread that ran the function. */
  threadRunQueueMs: number;
  /** CPU of the busiest single thread of the work (runtime helpers left out). */
  busiestThreadCpuMs: number;
  /** Threads of each kind that ran during the call (the measured thread excluded). */
  activeThreadsByKind: Partial<Record<ThreadKind, number>>;
}

/** A span of concurrent calls, as epoch milliseconds. */
export interface ConcurrentSpan {
  start: number;
  end: number;
  threadRunQueueMs: number;
}

/** How long calls on one event loop took, less the time its thread waited for a CPU held by others. */
export function onLoopMs(span: ConcurrentSpan): number {
  return span.end - span.start - span.threadRunQueueMs;
}

export type ThreadCpuSource = 'schedstat' | 'threadCpuUsage' | 'event-loop';

type ThreadCpuUsage = (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage;
const threadCpuUsage = (process as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage?.bind(process);

/**
 * Times the callbacks that run on this thread but were not started by the measured call:
 * async_hooks tell which resources descend from the call's own async scope.
 */
class InterferenceTracker {
  private readonly ours = new Set<number>();
  private depth = 0;
  private start = 0;
  private foreign = false;
  foreignMs = 0;
  private readonly hook = createHook({
    init: (id, _type, triggerId) => {
      if (this.ours.has(triggerId) || this.ours.has(executionAsyncId())) this.ours.add(id);
    },
    before: (id) => {
      if (this.depth++ === 0) {
        this.foreign = !this.ours.has(id);
        this.start = performance.now();
      }
    },
    after: () => {
      if (this.depth > 0 && --this.depth === 0 && this.foreign)
        this.foreignMs += performance.now() - this.start;
    },
  });

  begin(root: number): void {
    this.ours.clear();
    this.ours.add(root);
    this.depth = 0;
    this.foreignMs = 0;
    this.hook.enable();
  }

  end(): number {
    this.hook.disable();
    this.ours.clear();
    return this.foreignMs;
  }
}

const ns = (
  a: SchedStat | null | undefined,
  b: SchedStat | null | undefined,
  key: keyof SchedStat,
): number => (b ? Math.max(0, (b[key] - (a?.[key] ?? 0)) / 1e6) : 0);

export class FunctionProbe {
  readonly threadCpuSource: ThreadCpuSource;
  private readonly gcEntries: PerformanceEntry[] = [];
  private readonly observer: PerformanceObserver;
  private readonly tracker: InterferenceTracker | null;
  private readonly tid: number | null;

  /**
   * `isolated`: this thread runs nothing but the measured function (a dedicated worker).
   * `poolTids`: libuv's pool threads, when known by creation (see `discoverThreadPool`).
   */
  constructor(
    readonly isolated: boolean,
    private readonly poolTids: readonly number[] = [],
  ) {
    this.threadCpuSource =
      readThreadSelfSchedstat() !== null ? 'schedstat' : threadCpuUsage ? 'threadCpuUsage' : 'event-loop';
    this.tid = selfTid();
    this.tracker = isolated ? null : new InterferenceTracker();
    this.observer = new PerformanceObserver((list) => {
      this.gcEntries.push(...list.getEntries());
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  close(): void {
    this.observer.disconnect();
  }

  /** Runs `call` without measuring (warm-up). */
  async warm(call: () => unknown): Promise<void> {
    await call();
  }

  /**
   * Wall time of `copies` calls started together on this thread's event loop, and how long this
   * thread waited for a CPU meanwhile (other programs' load, not the work's).
   */
  async concurrent(call: () => unknown, copies: number): Promise<ConcurrentSpan> {
    const self0 = readThreadSelfSchedstat();
    const start = performance.timeOrigin + performance.now();
    await Promise.all(Array.from({ length: copies }, () => call()));
    const end = performance.timeOrigin + performance.now();
    return { start, end, threadRunQueueMs: ns(self0, readThreadSelfSchedstat(), 'runDelayNs') };
  }

  /** One measured call. */
  async measure(call: () => unknown): Promise<RunSample> {
    const linux = hasProc();
    const threads0 = linux ? readThreadsSchedstat('self') : null;
    const self0 = readThreadSelfSchedstat();
    const tcu0 = this.threadCpuSource === 'threadCpuUsage' && threadCpuUsage ? threadCpuUsage() : null;
    const ru0 = process.resourceUsage();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();

    const root = new AsyncResource('forkroad.classify');
    this.tracker?.begin(root.asyncId());
    let interferenceMs = 0;
    try {
      await root.runInAsyncScope(call);
    } finally {
      interferenceMs = this.tracker?.end() ?? 0;
      root.emitDestroy();
    }

    const t1 = performance.now();
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const ru1 = process.resourceUsage();
    const tcu = tcu0 && threadCpuUsage ? threadCpuUsage(tcu0) : null;
    const self1 = readThreadSelfSchedstat();
    const threads1 = linux ? readThreadsSchedstat('self') : null;

    const wallMs = t1 - t0;
    const processCpuMs = (cpu.user + cpu.system) / 1000;
    let threadCpuMs: number;
    if (self1) threadCpuMs = ns(self0, self1, 'execNs');
    else if (tcu) threadCpuMs = (tcu.user + tcu.system) / 1000;
    else threadCpuMs = Math.min(processCpuMs, elu.active);
    const threadRunQueueMs = ns(self0, self1, 'runDelayNs');

    // Other threads of the process. With `isolate`, the main thread is not ours: leave it out.
    let offThreadCpuMs = Math.max(0, processCpuMs - threadCpuMs);
    let runQueueMs = threadRunQueueMs;
    let busiestThreadCpuMs = threadCpuMs;
    const offThreadCpuByKind: Partial<Record<ThreadKind, number>> = {};
    const activeThreadsByKind: Partial<Record<ThreadKind, number>> = {};
    if (threads1 && threads0) {
      let offCpu = 0;
      let offDelay = 0;
      const kinds = selfThreadKinds(threads1.keys(), this.poolTids);
      for (const [tid, s1] of threads1) {
        if (tid === this.tid || (this.isolated && tid === process.pid)) continue;
        const s0 = threads0.get(tid);
        const c = ns(s0, s1, 'execNs');
        const kind = kinds.get(tid) ?? 'other';
        if (c > 0) {
          offThreadCpuByKind[kind] = (offThreadCpuByKind[kind] ?? 0) + c;
          activeThreadsByKind[kind] = (activeThreadsByKind[kind] ?? 0) + 1;
        }
        offCpu += c;
        if (countsTowardLabel(kind)) offDelay += ns(s0, s1, 'runDelayNs');
        if (countsTowardLabel(kind)) busiestThreadCpuMs = Math.max(busiestThreadCpuMs, c);
      }
      if (this.isolated) offThreadCpuMs = offCpu;
      runQueueMs += offDelay;
    }

    const gcMs = await this.gcTime(t0, t1);
    return {
      wallMs,
      cpuMs: threadCpuMs + offThreadCpuMs,
      threadCpuMs,
      offThreadCpuMs,
      runQueueMs,
      threadRunQueueMs,
      busiestThreadCpuMs,
      offThreadCpuByKind,
      activeThreadsByKind,
      eventLoopUtilization: elu.utilization,
      gcMs,
      interferenceMs,
      fsReads: ru1.fsRead - ru0.fsRead,
      fsWrites: ru1.fsWrite - ru0.fsWrite,
      voluntaryContextSwitches: ru1.voluntaryContextSwitches - ru0.voluntaryContextSwitches,
      involuntaryContextSwitches: ru1.involuntaryContextSwitches - ru0.involuntaryContextSwitches,
    };
  }

  /** GC pauses that started within [t0, t1]; entries arrive a macrotask after the collection. */
  private async gcTime(t0: number, t1: number): Promise<number> {
    await nextMacrotask();
    await nextMacrotask();
    const entries = [...this.gcEntries.splice(0), ...this.observer.takeRecords()];
    let total = 0;
    for (const e of entries) if (e.startTime >= t0 && e.startTime <= t1) total += e.duration;
    return total;
  }
}

/**
 * Turns the source of a function back into a function, for `isolate`. The source is evaluated
 * in a fresh scope that has the globals, `require` and `import()`, and nothing else.
 */
export function compileFunction(source: string): (...args: unknown[]) => unknown {
  const require = createRequire(import.meta.url);
  // Method shorthand (`name(...) {}`, `async name() {}`) is not an expression: make it one.
  const method = /^(async\s+)?(\*\s*)?([A-Za-z_$][\w$]*)\s*\(/.exec(source);
  const text =
    method && !/^(async\s+)?function\b/.test(source) && !/^(async\s*)?\(/.test(source)
      ? `${method[1] ?? ''}function ${method[2] ?? ''}${source.slice((method[1]?.length ?? 0) + (method[2]?.length ?? 0))}`
      : source;
  // Helpers some bundlers and test runners inject into function bodies.
  const helpers = 'const __name = (f) => f;';
  const fn = new Function('require', `${helpers}\nreturn (${text});`)(require) as unknown;
  if (typeof fn !== 'function') throw new TypeError('isolate: the source does not evaluate to a function');
  return fn as (...args: unknown[]) => unknown;
}
