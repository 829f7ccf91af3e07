// classifyProcess: sample a process that is already running (and its descendants) from /proc,
// without restarting it or touching it: reading /proc is all it costs the observed process.
import { performance } from 'node:perf_hooks';
import { computeShare, formatMs, type Penalty } from './analysis.js';
import { cpuSnapshot, measureCapacity } from './capacity.js';
import { samplePeriod, sleep } from './command-run.js';
import { hasProc, MS_PER_TICK, readCmdline, readSchedstat, readStat } from './procfs.js';
import { round } from './report.js';
import { PENALTY } from './thresholds.js';
import { TreeTracker } from './tree.js';
import { analyseTree, labelCpu } from './tree-analysis.js';
import { treeReport } from './tree-report.js';
import type { ConcurrencyModel, ProcessDetails, WorkloadReport } from './types.js';

export interface ClassifyProcessOptions {
  /** How long to sample, in milliseconds (default 10 000). */
  durationMs?: number;
  /** Stops the sampling early; the report covers the time until then. */
  signal?: AbortSignal;
  /** See `ClassifyCommandOptions.workers`. */
  workers?: Partial<Record<ConcurrencyModel, number>>;
}

/** The process cannot be sampled: there is none with that pid, or /proc does not let us read it. */
export class ProcessAccessError extends Error {
  override name = 'ProcessAccessError';
  constructor(
    message: string,
    readonly pid: number,
    readonly reason: 'not-found' | 'not-permitted' | 'exited',
  ) {
    super(message);
  }
}

function checkAccess(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      throw new ProcessAccessError(`no such process: ${pid}`, pid, 'not-found');
    }
    // EPERM: it exists but belongs to someone else; reading /proc may still be allowed.
  }
  if (readStat(pid) === null || readSchedstat(`/proc/${pid}/schedstat`) === null) {
    throw new ProcessAccessError(
      `not permitted to read /proc/${pid} (another user's process, or /proc mounted with hidepid): run as that user`,
      pid,
      'not-permitted',
    );
  }
}

/**
 * Samples process `pid` and its descendants for `durationMs` and says whether the work is
 * CPU-bound, I/O-bound or mixed: CPU from per-thread schedstat deltas (and /proc/<pid>/stat),
 * run-queue wait, threads by kind, turn-taking, parallelism. Linux only. Rejects with
 * {@link ProcessAccessError} when there is no such process or it cannot be read; a process that
 * exits during the sampling is reported until then (`process.exited`).
 */
export async function classifyProcess(
  pid: number,
  options: ClassifyProcessOptions = {},
): Promise<WorkloadReport> {
  if (!Number.isSafeInteger(pid) || pid <= 0)
    throw new TypeError(`pid must be a positive integer, got ${pid}`);
  if (!hasProc())
    throw new Error(`classifyProcess needs Linux: it reads /proc (this is ${process.platform})`);
  const durationMs = options.durationMs ?? 10_000;
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) {
    throw new RangeError(`durationMs must be a positive number, got ${durationMs}`);
  }
  checkAccess(pid);
  const argv = readCmdline(pid) ?? [];
  const cpus0 = cpuSnapshot();
  const t0 = performance.now();
  const tracker = new TreeTracker(pid, t0, { attached: true });
  tracker.sample(t0);
  const before = tracker.totals();
  let exited = false;
  while (!options.signal?.aborted) {
    const elapsed = performance.now() - t0;
    if (elapsed >= durationMs) break;
    await sleep(Math.min(samplePeriod(elapsed), durationMs - elapsed));
    tracker.sample(performance.now());
    if (!tracker.rootAlive) {
      exited = true;
      break;
    }
  }
  const end = tracker.lastSampleAt;
  tracker.closeWindow(end);
  const wall = end - (tracker.firstSampleAt ?? t0);
  if (tracker.windows.length === 0 || !(wall > 0)) {
    throw new ProcessAccessError(`process ${pid} exited before anything could be measured`, pid, 'exited');
  }

  let sampledCpu = 0;
  let runQueueTotal = 0;
  for (const w of tracker.windows) {
    for (const t of w.threads) {
      sampledCpu += t.cpuMs;
      runQueueTotal += t.runQueueMs;
    }
  }
  const tickCpu = Math.max(0, tracker.treeTicks - (tracker.firstTicks ?? tracker.treeTicks)) * MS_PER_TICK;
  const cpu = Math.max(sampledCpu, tickCpu);
  const capacity = measureCapacity(cpus0, cpuSnapshot(), wall, cpu);
  const runtime = tracker.runtime ?? { name: 'other' as const, gil: false, executable: null };
  const analysis = analyseTree(tracker.windows, runtime, false);
  const runQueue = Math.max(0, runQueueTotal - analysis.lockWaitMs);
  const parallelism = Math.max(tracker.parallelism(), cpu / wall);
  const totals = tracker.totals();
  const processes = tracker.members.size;
  const label = { wallMs: wall, cpuMs: labelCpu(cpu, analysis), runQueueMs: runQueueTotal };
  const name = (argv.length > 0 ? argv.join(' ') : `pid ${pid}`).replace(/\s+/g, ' ');

  const penalties: Penalty[] = [];
  if (exited) {
    penalties.push({
      factor: PENALTY.exitedEarly,
      reason: `the process exited after ${formatMs(wall)} of the ${formatMs(durationMs)} asked for: the report covers the time until then`,
    });
  }
  if (!tracker.sawSchedstat) {
    penalties.push({ factor: PENALTY.noSchedstat, reason: 'no schedstat in /proc: run-queue wait unknown' });
  }
  if (wall < 1000) {
    penalties.push({ factor: PENALTY.singleRun, reason: 'sampled for less than a second' });
  }

  const base = treeReport({
    target: 'process',
    headline: `sampled ${name.length > 80 ? `${name.slice(0, 79)}…` : name} for ${formatMs(wall)}: CPU ${formatMs(cpu)}, CPU ÷ wall ${(cpu / wall).toFixed(2)}, from per-thread schedstat`,
    wallMs: wall,
    cpuMs: cpu,
    runQueueMs: runQueue,
    parallelism,
    processes,
    maxThreads: tracker.maxThreads,
    capacity,
    label,
    shares: [computeShare(label.wallMs, label.cpuMs, label.runQueueMs)],
    probes: [],
    penalties,
    trailing: [],
    workers: options.workers,
    analysis,
    runtime,
    launcher: null,
    failure: undefined,
    leadEvidence: undefined,
    labelFrom: 'whole-run',
  });
  const details: ProcessDetails = {
    pid,
    argv,
    durationMs: round(wall),
    exited,
    processes,
    maxThreads: tracker.maxThreads,
    runQueueMs: round(runQueue),
    voluntaryContextSwitches: totals.voluntary - before.voluntary,
    involuntaryContextSwitches: totals.nonvoluntary - before.nonvoluntary,
  };
  return { ...base, process: details };
}
