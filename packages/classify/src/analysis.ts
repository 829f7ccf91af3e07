// Pure logic: from measured times to a label, a confidence and speedup estimates. No Node.js
// imports, so it runs in a browser too (`@forkroad/classify/analysis`).

import { CPU_BOUND_AT, IO_BOUND_AT } from './thresholds.js';
import type {
  ConcurrencyModel,
  SpeedupEstimate,
  SpeedupLimit,
  TimeBreakdown,
  WorkloadKind,
} from './types.js';

export * from './thresholds.js';

export const MODELS: readonly ConcurrencyModel[] = ['async', 'threads', 'processes'];

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const finite = (x: number, fallback = 0): number => (Number.isFinite(x) ? x : fallback);

/**
 * The share of its time the work spent computing rather than blocked (on I/O, timers, locks):
 * `CPU ÷ (CPU + blocked)`, where blocked time is what is left of the wall time (per lane, see
 * {@link timeBreakdown}) once on-CPU and run-queue time are taken out. Time spent runnable but
 * waiting for a CPU counts on neither side, so the share does not depend on how busy the machine
 * is, and a job starved of CPU (never blocked) stays CPU-bound instead of looking I/O-bound.
 * Within 0–1.
 */
export function computeShare(wallMs: number, cpuMs: number, runQueueMs = 0): number {
  const t = timeBreakdown(wallMs, cpuMs, runQueueMs);
  const denominator = t.onCpuMs + t.blockedMs;
  if (!(denominator > 0)) return t.runQueueMs > 0 ? 1 : 0;
  return clamp(finite(t.onCpuMs / denominator), 0, 1);
}

/**
 * The wall time the work would have taken had it never waited for a CPU:
 * `(CPU + blocked) ÷ lanes`. Speedup estimates use it, so they do not depend on the load either
 * (the load is accounted for once, in the free CPUs).
 */
export function unstarvedWall(wallMs: number, cpuMs: number, runQueueMs = 0): number {
  const t = timeBreakdown(wallMs, cpuMs, runQueueMs);
  return (t.onCpuMs + t.blockedMs) / t.lanes;
}

/** The label for a compute share: monotonic, `io-bound` < `mixed` < `cpu-bound`. */
export function kindOf(share: number): WorkloadKind {
  const s = finite(share);
  if (s >= CPU_BOUND_AT) return 'cpu-bound';
  if (s <= IO_BOUND_AT) return 'io-bound';
  return 'mixed';
}

/**
 * Confidence in the label from the compute share alone, before penalties: 0.5 on a threshold,
 * rising linearly to 1 at the far end of the label's range (0 or 1 for the outer labels, 0.5
 * for `mixed`). Always within 0.5–1.
 */
export function baseConfidence(share: number): number {
  const s = clamp(finite(share), 0, 1);
  const kind = kindOf(s);
  let c: number;
  if (kind === 'cpu-bound') c = 0.5 + (0.5 * (s - CPU_BOUND_AT)) / (1 - CPU_BOUND_AT);
  else if (kind === 'io-bound') c = 0.5 + (0.5 * (IO_BOUND_AT - s)) / IO_BOUND_AT;
  else {
    const middle = (CPU_BOUND_AT + IO_BOUND_AT) / 2;
    c = 0.5 + 0.5 * (1 - Math.abs(s - middle) / (CPU_BOUND_AT - middle));
  }
  return clamp(c, 0.5, 1);
}

/** A reason to trust a measurement less: the confidence is multiplied by `factor` (0–1). */
export interface Penalty {
  factor: number;
  reason: string;
}

/** Base confidence times every penalty factor, within 0–1. Penalties never raise it. */
export function applyPenalties(confidence: number, penalties: readonly Penalty[]): number {
  let c = clamp(finite(confidence), 0, 1);
  for (const p of penalties) c *= clamp(finite(p.factor, 1), 0, 1);
  return clamp(c, 0, 1);
}

/** Amdahl's law: the speedup of `n` workers when a fraction `serial` cannot overlap. In [1, n]. */
export function amdahl(serial: number, n: number): number {
  const s = clamp(finite(serial, 1), 0, 1);
  const workers = Math.max(1, finite(n, 1));
  return 1 / (s + (1 - s) / workers);
}

/**
 * Karp–Flatt metric: the experimentally determined serial fraction from a measured speedup
 * `speedup` with `p` workers, `(1/ψ − 1/p) / (1 − 1/p)`, clamped to 0–1. Inverse of {@link amdahl}.
 */
export function karpFlatt(speedup: number, p: number): number {
  if (!(p > 1) || !(speedup > 0)) return 1;
  return clamp(finite((1 / speedup - 1 / p) / (1 - 1 / p), 1), 0, 1);
}

/** Input of {@link estimateSpeedups}: the measured shares of one unit of work. */
export interface SpeedupInput {
  wallMs: number;
  /** CPU of the whole unit of work. */
  cpuMs: number;
  /**
   * CPU time one thread must spend, in order, that an event loop cannot overlap: the calling
   * thread's CPU for a function; all the CPU of a command.
   */
  serialMs: number;
  /** CPU on libuv's thread pool, shared by every worker thread of one process (0 for commands). */
  threadPoolCpuMs: number;
  /** CPUs free for the work (see `Capacity.cores`). */
  capacity: number;
  /** libuv's thread pool size (`UV_THREADPOOL_SIZE`, default 4). */
  threadPoolSize: number;
  /** Copies in flight assumed for each model. */
  workers: Record<ConcurrencyModel, number>;
  /** Serial fractions measured by a two-point probe; they replace the ones from the shares. */
  serialFraction?: Partial<Record<ConcurrencyModel, number>>;
  /**
   * Python's models: threads share one interpreter lock, so their serial part is all the CPU
   * (`cpuMs ÷ wallMs`), like an event loop's (asyncio). Native code that releases the GIL is not
   * seen here: the estimate is for Python code.
   */
  gil?: boolean;
}

/**
 * Speedup of running many copies of the measured work with each model.
 *
 * - `async` (one event loop): overlaps waiting only; the serial part is `serialMs / wallMs`.
 * - `threads`, `processes`: independent copies overlap entirely (serial fraction 0) unless a probe
 *   measured otherwise; with `gil` (Python), threads overlap waiting only: serial part `cpuMs / wallMs`.
 *
 * Amdahl's law with the model's worker count, then capped by the measured capacity: copies
 * cannot use more than `capacity` CPUs in total (`capacity × wall ÷ cpu`), and thread-pool work
 * cannot use more than `min(threadPoolSize, capacity)` CPUs in one process (async and threads
 * share one pool; processes each have their own). Never below 1.
 */
export function estimateSpeedups(input: SpeedupInput): Record<ConcurrencyModel, SpeedupEstimate> {
  const wall = Math.max(finite(input.wallMs), 1e-9);
  const capacity = Math.max(1, finite(input.capacity, 1));
  const cpu = Math.max(0, finite(input.cpuMs));
  const pool = Math.max(0, finite(input.threadPoolCpuMs));
  const out = {} as Record<ConcurrencyModel, SpeedupEstimate>;
  for (const model of MODELS) {
    const measured = input.serialFraction?.[model];
    const underGil = model === 'threads' && input.gil === true;
    const fromShares =
      model === 'async' ? clamp(finite(input.serialMs) / wall, 0, 1) : underGil ? clamp(cpu / wall, 0, 1) : 0;
    const serial = measured === undefined ? fromShares : clamp(finite(measured, 1), 0, 1);
    const workers = Math.max(1, Math.floor(finite(input.workers[model], 1)));
    let speedup = amdahl(serial, workers);
    let limitedBy: SpeedupLimit =
      speedup >= 0.9 * workers ? 'workers' : underGil && measured === undefined ? 'gil' : 'serial-fraction';
    if (cpu > 0) {
      const cap = (capacity * wall) / cpu;
      if (cap < speedup) {
        speedup = cap;
        limitedBy = 'cpu-capacity';
      }
    }
    if (model !== 'processes' && pool > 0) {
      const cap = (Math.min(Math.max(1, input.threadPoolSize), capacity) * wall) / pool;
      if (cap < speedup) {
        speedup = cap;
        limitedBy = 'thread-pool';
      }
    }
    out[model] = {
      speedup: Math.max(1, speedup),
      workers,
      serialFraction: serial,
      method: measured === undefined ? 'amdahl' : 'karp-flatt',
      limitedBy,
    };
  }
  return out;
}

/** Default copies in flight for the `async` estimate: many connections on one loop. */
export const DEFAULT_ASYNC_WORKERS = 100;
/** Most threads or processes the default sizing assumes. */
export const MAX_POOL_WORKERS = 64;

/**
 * Default pool size for `threads` and `processes`: enough workers to keep the free CPUs busy,
 * `capacity ÷ computeShare` (a CPU-bound job gets one per free CPU; a job that waits 90% of the
 * time gets ten per CPU), within `round(capacity)`–{@link MAX_POOL_WORKERS}.
 */
export function defaultPoolSize(capacity: number, share: number): number {
  const cores = Math.max(1, Math.round(finite(capacity, 1)));
  const s = clamp(finite(share), 0, 1);
  const wanted = s > 0 ? Math.round(Math.max(1, finite(capacity, 1)) / s) : MAX_POOL_WORKERS;
  return clamp(wanted, Math.min(cores, MAX_POOL_WORKERS), MAX_POOL_WORKERS);
}

/** `1 CPU`, `1.5 CPUs`. */
export function formatCpus(n: number): string {
  const v = Math.round(finite(n) * 100) / 100;
  return `${v} CPU${v === 1 ? '' : 's'}`;
}

/** Splits wall time into on-CPU, waiting-for-CPU and blocked time (see {@link TimeBreakdown}). */
export function timeBreakdown(wallMs: number, cpuMs: number, runQueueMs: number): TimeBreakdown {
  const wall = Math.max(0, finite(wallMs));
  const onCpuMs = Math.max(0, finite(cpuMs));
  const runQueueMs2 = Math.max(0, finite(runQueueMs));
  const lanes = wall > 0 ? Math.max(1, (onCpuMs + runQueueMs2) / wall) : 1;
  return {
    onCpuMs,
    runQueueMs: runQueueMs2,
    // More than one lane means the work kept more than the wall time busy: nothing was blocked.
    blockedMs: lanes > 1 ? 0 : Math.max(0, wall - onCpuMs - runQueueMs2),
    lanes,
  };
}

/** `1.2 ms`, `340 ms`, `1.25 s`. */
export function formatMs(ms: number): string {
  const v = finite(ms);
  if (Math.abs(v) < 10) return `${v.toFixed(1)} ms`;
  if (Math.abs(v) < 1000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
}

/** `42%`. */
export function formatShare(x: number): string {
  return `${Math.round(finite(x) * 100)}%`;
}

/** A time summed over threads, against wall time: `42% of the wall time` or `3.0× the wall time, summed over threads`. */
export function formatWaitShare(ms: number, wallMs: number): string {
  const r = wallMs > 0 ? finite(ms / wallMs) : 0;
  return r <= 1
    ? `${formatShare(r)} of the wall time`
    : `${r.toFixed(1)}× the wall time, summed over threads`;
}

/** The evidence line that states the label and the rule that gave it. */
export function labelEvidence(share: number): string {
  const kind = kindOf(share);
  const rule =
    kind === 'cpu-bound'
      ? `≥ ${formatShare(CPU_BOUND_AT)}`
      : kind === 'io-bound'
        ? `≤ ${formatShare(IO_BOUND_AT)}`
        : `between ${formatShare(IO_BOUND_AT)} and ${formatShare(CPU_BOUND_AT)}`;
  return `computing ${formatShare(share)} of the time it was not waiting for a CPU, blocked the rest: ${kind} (${rule})`;
}
