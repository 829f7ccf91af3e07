// classifyCommand: run any program as a child process on Linux and measure its whole tree.
//
// How it measures:
// - Exact CPU of the tree: the kernel adds the CPU of every child a process waits for (and
//   of the children that child waited for) to the parent's cutime/cstime. The delta of this
//   process's cutime/cstime (/proc/self/stat) around the child's life is the CPU of the whole
//   tree, as long as each process in it was waited for. Runs are serialized within this process
//   so that two classifications do not mix; other children of this process ending during the
//   window would be counted too, so they are detected and reported.
// - Sampling, every 25–100 ms, of /proc for the live descendants (tree.ts): per-thread on-CPU
//   time and run-queue wait (schedstat), names, context switches. That gives the timeline, its
//   phases, the CPU by kind of thread, threads taking turns and the parallelism in use.
// - Orphans: every descendant inherits a token in its environment; descendants still alive after
//   the command exited (found by pid and start time, or by the token in /proc/<pid>/environ)
//   are reported.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { computeShare, formatMs, karpFlatt, type Penalty } from './analysis.js';
import { cpuSnapshot, measureCapacity } from './capacity.js';
import { type OutputTarget, type RunResult, runCopies, runOnce } from './command-run.js';
import { checkCount } from './function.js';
import { hasProc } from './procfs.js';
import { mean, round } from './report.js';
import { runtimeOf } from './thread-kinds.js';
import { PENALTY } from './thresholds.js';
import { analyseTree, labelCpu } from './tree-analysis.js';
import { treeReport } from './tree-report.js';
import type {
  CommandDetails,
  CommandRunSample,
  ConcurrencyModel,
  ProbeResult,
  RunFailure,
  WorkloadReport,
} from './types.js';

export { CommandStartError, type OutputTarget, TOKEN_VARIABLE } from './command-run.js';

export interface ClassifyCommandOptions {
  cwd?: string;
  /** Environment of the command (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Milliseconds each run may take; then the tree gets SIGTERM, and SIGKILL a second later. */
  timeout?: number;
  /** Runs (default 1). */
  runs?: number;
  /** Two-point probe: also start this many copies at once (≥ 2); gives the Karp–Flatt serial fraction for `processes`. */
  probe?: number;
  /**
   * Copies in flight the speedup estimates assume. Default: async 100; threads and processes
   * enough to keep the free CPUs busy (free CPUs ÷ compute share, at most 64).
   */
  workers?: Partial<Record<ConcurrencyModel, number>>;
  /** Default `'ignore'`. */
  stdin?: 'ignore' | 'inherit';
  /** Default `'ignore'`. */
  stdout?: OutputTarget;
  /** Default `'ignore'`. The last 4 KiB are kept for the report of a failed run either way. */
  stderr?: OutputTarget;
  /** SIGKILL descendants left running after the command exited (default false: only report them). */
  killOrphans?: boolean;
}

let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task, task);
  queue = result.catch(() => undefined);
  return result;
}

/**
 * Runs `argv` (no shell: `['python3', 'script.py']`, or `['sh', '-c', '…']` to use one) and
 * says whether it is CPU-bound, I/O-bound or mixed, from the CPU of its whole process tree
 * against wall time, run-queue wait and parallelism; the label is the steady state's when a
 * start-up phase (an interpreter and its imports) is set apart. Linux only (it reads /proc).
 * Rejects with {@link CommandStartError} when the command cannot be started; a command that
 * fails or is killed is still measured, its failure is reported first (`failure`, with the tail
 * of its stderr) and its confidence is capped.
 */
export function classifyCommand(
  argv: readonly string[],
  options: ClassifyCommandOptions = {},
): Promise<WorkloadReport> {
  return serialized(() => classifyCommandNow([...argv], options));
}

/** The failure of a run, or undefined when it exited with code 0. */
export function failureOf(
  run: {
    exitCode: number | null;
    signal: string | null;
    timedOut: boolean;
    stderrTail: string;
  },
  timeout: number | undefined,
): RunFailure | undefined {
  if (!run.timedOut && !run.signal && run.exitCode === 0) return undefined;
  const message = run.timedOut
    ? `stopped by the ${timeout} ms timeout`
    : run.signal
      ? `killed by ${run.signal}`
      : `exited with code ${run.exitCode}`;
  return {
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    stderrTail: run.stderrTail,
    message,
  };
}

/** The lines that open the evidence of a failed run. */
export function failureEvidence(f: RunFailure): string[] {
  const last = f.stderrTail.trim().split('\n').pop()?.trim();
  return [
    `FAILED: ${f.message}; a failed run is not a workload: the label below covers only what ran (fix the failure and measure again)${last ? `; stderr ends with: ${last.length > 160 ? `${last.slice(0, 157)}…` : last}` : ''}`,
  ];
}

async function classifyCommandNow(argv: string[], options: ClassifyCommandOptions): Promise<WorkloadReport> {
  if (argv.length === 0 || typeof argv[0] !== 'string' || argv[0] === '') {
    throw new TypeError('classifyCommand: argv must name a command');
  }
  if (!hasProc()) {
    throw new Error(`classifyCommand needs Linux: it reads /proc (this is ${process.platform})`);
  }
  const runs = checkCount('runs', options.runs, 1, 1);
  const copies = options.probe === undefined ? 0 : checkCount('probe', options.probe, 0, 2);
  if (options.timeout !== undefined && !(options.timeout > 0)) {
    throw new RangeError(`timeout must be a positive number of milliseconds, got ${options.timeout}`);
  }
  const token = randomUUID();
  const cpus0 = cpuSnapshot();
  const t0 = performance.now();
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(argv, options, token));
  const windowMs = performance.now() - t0;
  const own = results.reduce((a, r) => a + r.userMs + r.systemMs, 0);
  const capacity = measureCapacity(cpus0, cpuSnapshot(), windowMs, own);
  const last = results[results.length - 1]!;

  const avg = (key: keyof CommandRunSample) => mean(results.map((r) => r[key] as number));
  const wall = avg('wallMs');
  const user = avg('userMs');
  const system = avg('systemMs');
  const cpu = user + system;
  const parallelism = mean(
    results.map((r) => Math.max(r.parallelism, r.wallMs > 0 ? (r.userMs + r.systemMs) / r.wallMs : 0)),
  );
  const processes = Math.max(...results.map((r) => r.processes));
  const maxThreads = Math.max(...results.map((r) => r.maxThreads));
  const vcs = avg('voluntaryContextSwitches');
  const ivcs = avg('involuntaryContextSwitches');
  const orphans = [...new Set(results.flatMap((r) => r.orphans))].sort((a, b) => a - b);
  const otherChildren = [...new Set(results.flatMap((r) => r.otherChildren))];

  // Each run's label basis: its steady state when one was set apart, else the observed run
  // (see RunResult.unobservedMs) less the runtime's helper threads. Waiting for a CPU and waiting
  // for a lock while taking turns count on neither side of the compute share.
  const runtime = last.tracker.runtime ?? runtimeOf(argv[0] ?? null, argv[0]?.split('/').pop() ?? '');
  const analyses = results.map((r) => analyseTree(r.tracker.windows, runtime, true, r.tracker.launcher()));
  const bases = results.map((r, i) => {
    const a = analyses[i]!;
    if (a.steady) {
      return {
        wallMs: a.steady.wallMs,
        cpuMs: a.steady.cpuMs,
        runQueueMs: a.steady.runQueueMs + a.steadyLockWaitMs,
      };
    }
    return {
      wallMs: r.wallMs - r.unobservedMs,
      cpuMs: labelCpu(r.userMs + r.systemMs, a),
      runQueueMs: r.runQueueMs,
    };
  });
  const label = {
    wallMs: mean(bases.map((b) => b.wallMs)),
    cpuMs: mean(bases.map((b) => b.cpuMs)),
    runQueueMs: mean(bases.map((b) => b.runQueueMs)),
  };
  const shares = bases.map((b) => computeShare(b.wallMs, b.cpuMs, b.runQueueMs));
  const analysis = analyses[analyses.length - 1]!;
  const lockWait = mean(analyses.map((a) => a.lockWaitMs));
  const runQueue = Math.max(0, avg('runQueueMs') - lockWait);
  const launcher = last.tracker.launcher();

  const failure = failureOf(last, options.timeout);
  const trailing = [
    `${round(vcs, 0)} voluntary (it blocked) vs ${round(ivcs, 0)} involuntary (it was preempted) context switches, sampled`,
  ];
  if (!failure) trailing.push('exited with code 0');

  const penalties: Penalty[] = [];
  if (orphans.length > 0) {
    const killed = options.killOrphans || last.timedOut ? ' (killed)' : '';
    penalties.push({
      factor: PENALTY.orphans,
      reason: `left ${orphans.length} process${orphans.length === 1 ? '' : 'es'} running after it exited${killed}, pids ${orphans.join(', ')}: their CPU is not counted; the label covers the command until it exited`,
    });
  }
  const unexplained = Math.max(...results.map((r) => r.unexplainedCpuMs));
  if (otherChildren.length > 0 || unexplained > 0.1 * wall) {
    const which = otherChildren.length > 0 ? ` (pids ${otherChildren.join(', ')})` : '';
    penalties.push({
      factor: PENALTY.otherChildren,
      reason: `other child processes of this process ran during the measurement${which}: those that ended are counted in the tree's CPU`,
    });
  }
  if (!results.some((r) => r.sawSchedstat)) {
    penalties.push({ factor: PENALTY.noSchedstat, reason: 'no schedstat in /proc: run-queue wait unknown' });
  }
  if (runs === 1 && wall < 100) penalties.push({ factor: PENALTY.singleRun, reason: 'a single short run' });

  const probes: ProbeResult[] = [];
  if (copies >= 2) {
    const allMs = await runCopies(argv, options, copies);
    const speedup = allMs > 0 ? (copies * wall) / allMs : 1;
    probes.push({
      model: 'processes',
      copies,
      oneMs: wall,
      allMs,
      speedup,
      serialFraction: karpFlatt(speedup, copies),
    });
  }

  const base = treeReport({
    target: 'command',
    headline: `CPU ${formatMs(cpu)} (user ${formatMs(user)}, system ${formatMs(system)}) over ${formatMs(wall)} wall: CPU ÷ wall ${(cpu / wall).toFixed(2)}, exact, from the kernel's accounting of waited-for children`,
    wallMs: wall,
    cpuMs: cpu,
    runQueueMs: runQueue,
    parallelism,
    processes,
    maxThreads,
    capacity,
    label,
    shares,
    probes,
    penalties,
    trailing,
    workers: options.workers,
    analysis,
    runtime,
    launcher,
    failure,
    leadEvidence: failure ? failureEvidence(failure) : undefined,
    labelFrom: analyses.some((a) => a.steady) ? 'steady' : 'whole-run',
  });
  const details: CommandDetails = {
    argv,
    exitCode: last.exitCode,
    signal: last.signal,
    timedOut: last.timedOut,
    userMs: round(user),
    systemMs: round(system),
    cpuSource: 'exact',
    runQueueMs: round(runQueue),
    voluntaryContextSwitches: round(vcs),
    involuntaryContextSwitches: round(ivcs),
    processes,
    maxThreads,
    orphans,
    samples: results.map((r) => ({
      wallMs: round(r.wallMs),
      userMs: round(r.userMs),
      systemMs: round(r.systemMs),
      runQueueMs: round(r.runQueueMs),
      parallelism: round(Math.max(1, r.parallelism), 2),
      exitCode: r.exitCode,
      signal: r.signal,
      timedOut: r.timedOut,
      processes: r.processes,
      maxThreads: r.maxThreads,
      voluntaryContextSwitches: r.voluntaryContextSwitches,
      involuntaryContextSwitches: r.involuntaryContextSwitches,
      orphans: r.orphans,
    })),
  };
  return { ...base, command: details };
}
