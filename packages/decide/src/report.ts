// Reading a `WorkloadReport` of @forkroad/classify for the advice: whether the run failed, how
// to read its label, and what speedups it really promises for the runtime asked about.

import type { SpeedupLimit } from '@forkroad/classify/types';
import { UNCERTAIN_CONFIDENCE } from './thresholds.js';
import type { Runtime, SpeedupModel, WorkloadReportLike } from './types.js';

/** The workload readings the flowchart's question 1 can take from a report. */
export type ReportReading = 'io' | 'cpu' | 'mixed';

/**
 * A parallel program keeps at least this many CPUs busy, on average, while it computes: the test
 * for a report without the classifier's own finding (`alreadyParallel`), which is taken as it is.
 */
export const ALREADY_PARALLEL_AT = 1.5;

/** A number with two decimals, as the advice quotes measurements. */
export const fixed = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);

/**
 * How the measured run failed, in words ("exited with code 1", "killed by SIGKILL", "timed
 * out"), or `undefined` when it succeeded or the report does not say. A failed run measured the
 * failure (a traceback, a refused connection), not the workload.
 */
export function runFailure(report: WorkloadReportLike): string | undefined {
  if (report.failure) return report.failure.message;
  const run = report.command;
  if (run === undefined) return undefined;
  if (run.timedOut === true) return 'timed out';
  if (typeof run.signal === 'string' && run.signal !== '') return `killed by ${run.signal}`;
  if (typeof run.exitCode === 'number' && run.exitCode !== 0) return `exited with code ${run.exitCode}`;
  return undefined;
}

/** The share of its time the work computed rather than waited: `computeShare`, else CPU ÷ wall. */
export function computeShareOf(report: WorkloadReportLike): number {
  const share = report.computeShare ?? report.cpuShare;
  return Math.min(1, Math.max(0, share));
}

/** A timeline window computing at most this share of its time is an I/O stretch… */
const IO_WINDOW_AT = 1 / 3;
/** …and at least this share, a CPU stretch. */
const CPU_WINDOW_AT = 2 / 3;
/** A stage lasts at least this long: shorter stretches are one task alternating, not stages. */
const STAGE_MIN_MS = 300;
/** Each kind of stage must cover this share of the steady state. */
const STAGE_SHARE = 0.2;

/**
 * Whether the timeline shows separate I/O and CPU stages: stretches of the steady state, each at
 * least {@link STAGE_MIN_MS} long, that mostly wait, and others that mostly compute, each kind a
 * real part of the run. A loop that waits and computes in quick turns (an HTTP client parsing
 * each response) alternates within a fraction of a second and shows no stages.
 */
export function hasStages(report: WorkloadReportLike): boolean {
  const windows = (report.timeline ?? []).filter((w) => w.phase === 'steady' && w.wallMs > 0);
  const total = windows.reduce((sum, w) => sum + w.wallMs, 0);
  if (!(total > 0)) return false;
  const inStages = { io: 0, cpu: 0 };
  let run: { kind: 'io' | 'cpu' | 'between'; wallMs: number } = { kind: 'between', wallMs: 0 };
  const close = () => {
    if (run.kind !== 'between' && run.wallMs >= STAGE_MIN_MS) inStages[run.kind] += run.wallMs;
  };
  for (const w of windows) {
    // Waiting for a CPU (or for the GIL) is neither computing nor I/O.
    const runnable = Math.max(w.wallMs - Math.min(w.wallMs, w.runQueueMs + w.lockWaitMs), 1e-9);
    const share = Math.min(1, w.cpuMs / runnable);
    const kind = share <= IO_WINDOW_AT ? 'io' : share >= CPU_WINDOW_AT ? 'cpu' : 'between';
    if (kind === run.kind) {
      run.wallMs += w.wallMs;
    } else {
      close();
      run = { kind, wallMs: w.wallMs };
    }
  }
  close();
  return inStages.io / total >= STAGE_SHARE && inStages.cpu / total >= STAGE_SHARE;
}

/**
 * How question 1 reads a report. `mixed` means separate I/O and CPU stages (the hybrid answer):
 * it is read so when the timeline shows them. A measured `mixed` label says only that the work
 * both waits and computes, so without stages it is read as the side of the middle its compute
 * share is on.
 */
export function readReport(report: WorkloadReportLike): { reading: ReportReading; note?: string } {
  // Stages are structure, which a single share cannot show: a stage of each kind, each a fifth of
  // the run or more, is a pipeline whatever side of a line the overall share falls on.
  if (hasStages(report)) {
    return {
      reading: 'mixed',
      note: `Its timeline shows separate stages: stretches that mostly wait and stretches that mostly compute (overall it is ${report.kind}).`,
    };
  }
  if (report.kind === 'io-bound') return { reading: 'io' };
  if (report.kind === 'cpu-bound') return { reading: 'cpu' };
  const share = computeShareOf(report);
  const reading = share < 0.5 ? 'io' : 'cpu';
  return {
    reading,
    note: `The measurement is mixed (it computes ${Math.round(share * 100)}% of its time) but shows no separate I/O and CPU stages, so it is read as ${reading === 'io' ? 'I/O-bound: the computing happens between the waits of each task' : 'CPU-bound: the waiting happens between the computing of each task'}. If the program does have stages (download, then process), answer "mixed" yourself for a pipeline.`,
  };
}

/**
 * The other reading when the measured one is not clear-cut — low confidence (near a threshold, or
 * penalized) or a `mixed` label read as one side — with what would decide between the two.
 */
export function otherReading(
  report: WorkloadReportLike,
  reading: ReportReading,
): { reading: ReportReading; decidedBy: string } | undefined {
  const readAsSide = report.kind === 'mixed' && reading !== 'mixed';
  if (!readAsSide && report.confidence >= UNCERTAIN_CONFIDENCE) return undefined;
  const share = `${Math.round(computeShareOf(report) * 100)}%`;
  if (reading !== 'mixed') {
    return {
      reading: 'mixed',
      decidedBy: `Where the CPU time goes (it computes ${share} of its time): a separate CPU stage (parsing, hashing or resizing after each download) makes it a pipeline; CPU spent in the ${reading === 'io' ? 'client library handling each request' : 'same loop that waits'} does not. Profile it (py-spy, node --cpu-prof), or measure again with a larger input.`,
    };
  }
  const side = computeShareOf(report) < 0.5 ? 'io' : 'cpu';
  return {
    reading: side,
    decidedBy: `Whether the I/O and CPU stages are really separate: if each task waits and computes in one piece (it computes ${share} of its time), the ${side === 'io' ? 'I/O' : 'CPU'} answer fits without a pipeline.`,
  };
}

/** Notes on a program that already keeps several CPUs busy, when it does. */
export function alreadyParallel(report: WorkloadReportLike): string | undefined {
  // The classifier's own finding when it made one (null: not parallel); else the mean CPUs busy.
  const found = report.alreadyParallel;
  if (found === null) return undefined;
  const busy = found === undefined ? report.parallelism : found.cpus;
  if (busy === undefined || (found === undefined && !(busy >= ALREADY_PARALLEL_AT))) return undefined;
  const by =
    found?.by === 'processes'
      ? 'several processes'
      : found?.by === 'threads'
        ? 'several threads (a native library, or a pool of its own)'
        : "a native library's threads, or a pool of its own";
  return `The program is already parallel: it kept ${fixed(busy)} CPUs busy at once while it computed (${by}). More workers on top compete for the same cores; what is left to gain is on the cores it does not use yet.`;
}

/** What the classifier saw of threads taking turns on the GIL (or a lock), when it did. */
export function turnTakingNote(report: WorkloadReportLike, runtime: Runtime): string | undefined {
  const turns = report.turnTaking;
  if (!turns) return undefined;
  const lock = turns.cause === 'gil' ? "Python's GIL" : 'one lock';
  const processes = runtimeSpeedup(report, 'processes', runtime);
  return `${turns.threads} threads took turns on ${lock} for ${Math.round(turns.share * 100)}% of the run, keeping about ${fixed(turns.cpus)} CPU busy: that is waiting for the lock, not a shortage of CPUs. ${turns.cause === 'gil' ? 'Processes run such threads in parallel, each with its own GIL' : 'Less time holding the lock, or separate processes, let them run in parallel'}${processes ? ` (estimated up to ${fixed(processes.speedup)}× with processes)` : ''}.`;
}

/** What a launcher (a pyenv shim, a wrapper script) cost before the program started, when one ran. */
export function launcherNote(report: WorkloadReportLike): string | undefined {
  const l = report.launcher;
  if (!l) return undefined;
  return `A launcher (${l.name}) ran before the program: ${l.processes} ${l.processes === 1 ? 'process' : 'processes'}, ${Math.round(l.cpuMs)} ms of CPU over ${Math.round(l.wallMs)} ms, counted in start-up and not in the label. Run the interpreter directly to leave it out.`;
}

/**
 * The speedup a report estimates for a model: the number itself or the classifier's
 * `SpeedupEstimate.speedup`.
 */
export function speedupEstimate(report: WorkloadReportLike, model: SpeedupModel): number | undefined {
  const value = report.speedup?.[model];
  const n = typeof value === 'number' ? value : value?.speedup;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** The classifier's estimate object for a model in this runtime, when there is one. */
function estimateIn(report: WorkloadReportLike, model: SpeedupModel, runtime: Runtime) {
  const byRuntime = report.speedupByRuntime?.[runtime]?.[model];
  if (byRuntime !== undefined) return byRuntime;
  return report.speedup?.[model];
}

/** A model's speedup in one runtime, and what bounds it. */
export interface RuntimeSpeedup {
  speedup: number;
  /** Bounded by Python's GIL: threads and asyncio gain at most 1 ÷ compute share. */
  gilBound: boolean;
  limitedBy?: SpeedupLimit;
  /** Copies in flight the estimate assumes, when the report says. */
  workers?: number;
}

/**
 * The speedup a model can give in this runtime: the classifier's estimate in the runtime's own
 * models (`speedupByRuntime`) when the report has them. Otherwise, under Python's GIL one thread
 * runs Python code at a time, so threads and asyncio overlap only the waiting: at most 1 ÷ compute
 * share, whatever the cores (the plain estimate may count Node's parallel worker threads).
 */
export function runtimeSpeedup(
  report: WorkloadReportLike,
  model: SpeedupModel,
  runtime: Runtime,
): RuntimeSpeedup | undefined {
  const value = estimateIn(report, model, runtime);
  const estimate = typeof value === 'number' ? value : value?.speedup;
  if (typeof estimate !== 'number' || !Number.isFinite(estimate)) return undefined;
  const limitedBy = typeof value === 'object' ? value.limitedBy : undefined;
  const workers = typeof value === 'object' ? value.workers : undefined;
  const found: RuntimeSpeedup = {
    speedup: estimate,
    gilBound: limitedBy === 'gil',
    ...(limitedBy ? { limitedBy } : {}),
    ...(typeof workers === 'number' ? { workers } : {}),
  };
  if (runtime !== 'python' || model === 'processes' || found.gilBound) return found;
  const share = computeShareOf(report);
  const bound = share > 0 ? 1 / share : Number.POSITIVE_INFINITY;
  return bound < estimate ? { speedup: Math.max(1, bound), gilBound: true, limitedBy: 'gil' } : found;
}

/** "1 worker", "4 workers". */
export function workerCount(workers: number): string {
  return `${workers} ${workers === 1 ? 'worker' : 'workers'}`;
}

/** "4 workers; limited by cpu-capacity", from a `SpeedupEstimate`, when it says. */
export function estimateDetail(report: WorkloadReportLike, model: SpeedupModel, runtime: Runtime): string {
  const estimate = estimateIn(report, model, runtime);
  if (typeof estimate !== 'object' || estimate === null) return '';
  const parts: string[] = [];
  if (typeof estimate.workers === 'number') parts.push(workerCount(estimate.workers));
  if (typeof estimate.limitedBy === 'string') parts.push(`limited by ${estimate.limitedBy}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}
