// Reading a `WorkloadReport` of @forkroad/classify for the advice: whether the run failed, how
// to read its label, and what speedups it really promises for the runtime asked about.
import { UNCERTAIN_CONFIDENCE } from './thresholds.js';
import type { Runtime, SpeedupModel, WorkloadReportLike } from './types.js';

/** The workload readings the flowchart's question 1 can take from a report. */
export type ReportReading = 'io' | 'cpu' | 'mixed';

/** A parallel program keeps at least this many CPUs busy, on average, while it computes. */
export const ALREADY_PARALLEL_AT = 1.5;

const fixed = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);

/**
 * How the measured run failed, in words ("exited with code 1", "was killed by SIGKILL", "timed
 * out"), or `undefined` when it succeeded or the report does not say. A failed run measured the
 * failure (a traceback, a refused connection), not the workload.
 */
export function runFailure(report: WorkloadReportLike): string | undefined {
  const run = report.command;
  if (run === undefined) return undefined;
  if (run.timedOut === true) return 'timed out';
  if (typeof run.signal === 'string' && run.signal !== '') return `was killed by ${run.signal}`;
  if (typeof run.exitCode === 'number' && run.exitCode !== 0) return `exited with code ${run.exitCode}`;
  return undefined;
}

/** The share of its time the work computed rather than waited: `computeShare`, else CPU ÷ wall. */
export function computeShareOf(report: WorkloadReportLike): number {
  const share = report.computeShare ?? report.cpuShare;
  return Math.min(1, Math.max(0, share));
}

/**
 * How question 1 reads a report. `mixed` means separate I/O and CPU stages (the hybrid answer);
 * a measured `mixed` label says only that the work both waits and computes, so without evidence
 * of stages it is read as the side of the middle its compute share is on.
 */
export function readReport(report: WorkloadReportLike): { reading: ReportReading; note?: string } {
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
  const busy = report.parallelism;
  if (busy === undefined || !(busy >= ALREADY_PARALLEL_AT)) return undefined;
  return `The program is already parallel: it kept ${fixed(busy)} CPUs busy at once while it computed (a native library's threads, or a pool of its own). More workers on top compete for the same cores; what is left to gain is on the cores it does not use yet.`;
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

/**
 * The speedup a model can give in this runtime. Under Python's GIL one thread runs Python code at a
 * time, so threads and asyncio overlap only the waiting: at most 1 ÷ compute share, whatever the
 * cores (the classifier's estimate counts Node's parallel worker threads).
 */
export function runtimeSpeedup(
  report: WorkloadReportLike,
  model: SpeedupModel,
  runtime: Runtime,
): { speedup: number; gilBound: boolean } | undefined {
  const estimate = speedupEstimate(report, model);
  if (estimate === undefined) return undefined;
  if (runtime !== 'python' || model === 'processes') return { speedup: estimate, gilBound: false };
  const share = computeShareOf(report);
  const bound = share > 0 ? 1 / share : Number.POSITIVE_INFINITY;
  return bound < estimate
    ? { speedup: Math.max(1, bound), gilBound: true }
    : { speedup: estimate, gilBound: false };
}

/** "4 workers; limited by cpu-capacity", from a `SpeedupEstimate`, when it says. */
export function estimateDetail(report: WorkloadReportLike, model: SpeedupModel): string {
  const estimate = report.speedup?.[model];
  if (typeof estimate !== 'object' || estimate === null) return '';
  const parts: string[] = [];
  if (typeof estimate.workers === 'number') {
    parts.push(`${estimate.workers} ${estimate.workers === 1 ? 'worker' : 'workers'}`);
  }
  if (typeof estimate.limitedBy === 'string') parts.push(`limited by ${estimate.limitedBy}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}
