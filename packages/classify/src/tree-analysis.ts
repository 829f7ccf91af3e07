// What a sampled process tree says beyond its totals: phases, CPU by kind of thread, threads
// taking turns, a launcher; and the evidence lines for them. Shared by classifyCommand and
// classifyProcess.
import { formatMs, formatShare, formatWaitShare } from './analysis.js';
import { THREAD_KIND_LABEL } from './thread-kinds.js';
import { ALREADY_PARALLEL_AT, RUN_QUEUE_SHOWN_AT } from './thresholds.js';
import { detectTurnTaking, findPhases, type RawWindow, summarizeWindows, usageByKind } from './timeline.js';
import type {
  AlreadyParallel,
  Launcher,
  Phase,
  RuntimeInfo,
  ThreadKindUsage,
  TimelineWindow,
  TurnTaking,
} from './types.js';

export interface TreeAnalysis {
  timeline: TimelineWindow[];
  phases: Phase[];
  /** The steady phase, when a start-up or shutdown phase was set apart. */
  steady: Phase | null;
  threads: ThreadKindUsage[];
  turnTaking: TurnTaking | null;
  /** CPU of the runtime's helper threads (not counted toward the label). */
  helperCpuMs: number;
  /** Lock hand-over wait of threads taking turns (not a shortage of CPUs). */
  lockWaitMs: number;
  /** The same, in the steady phase. */
  steadyLockWaitMs: number;
}

export function analyseTree(
  raw: readonly RawWindow[],
  runtime: RuntimeInfo,
  startedHere: boolean,
  launcher: Launcher | null = null,
): TreeAnalysis {
  const timeline = summarizeWindows(raw);
  const phases = findPhases(timeline, startedHere, launcher?.wallMs ?? 0);
  const steady = phases.length > 1 ? (phases.find((p) => p.name === 'steady') ?? null) : null;
  const threads = usageByKind(raw);
  const helperCpuMs = threads.filter((t) => !t.counted).reduce((a, t) => a + t.cpuMs, 0);
  const turnTaking = detectTurnTaking(raw, timeline, runtime.gil ? 'gil' : 'lock');
  const lockWaitMs = timeline.reduce((a, w) => a + w.lockWaitMs, 0);
  const steadyLockWaitMs = timeline.reduce((a, w) => a + (w.phase === 'steady' ? w.lockWaitMs : 0), 0);
  return { timeline, phases, steady, threads, turnTaking, helperCpuMs, lockWaitMs, steadyLockWaitMs };
}

/** Parallelism in use, as a report field: null below {@link ALREADY_PARALLEL_AT}. */
export function alreadyParallel(parallelism: number, processes: number): AlreadyParallel | null {
  if (parallelism < ALREADY_PARALLEL_AT) return null;
  return { cpus: Math.round(parallelism * 100) / 100, by: processes > 1 ? 'processes' : 'threads' };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;

/** What the evidence about a process tree is read from. */
export interface TreeShape {
  analysis: TreeAnalysis;
  wallMs: number;
  cpuMs: number;
  /** Waiting for a CPU, lock hand-over left out. */
  runQueueMs: number;
  parallelism: number;
  processes: number;
  maxThreads: number;
  runtime: RuntimeInfo;
  launcher: Launcher | null;
}

/** Evidence lines about the tree's shape: parallelism, turn-taking, run-queue wait, phases, threads, launcher. */
export function treeEvidence(input: TreeShape): string[] {
  const { analysis: a, wallMs: wall, cpuMs: cpu } = input;
  const lines: string[] = [];
  if (a.steady) {
    const edges = a.phases
      .filter((p) => p.name !== 'steady')
      .map(
        (p) =>
          `${p.name}: ${formatMs(p.wallMs)}, ${formatMs(p.cpuMs)} of CPU (computing ${formatShare(p.computeShare)})`,
      );
    lines.push(
      `${edges.join('; ')}; set apart: the label is the steady state's (${formatMs(a.steady.wallMs)}, computing ${formatShare(a.steady.computeShare)})`,
    );
  }
  if (input.launcher) {
    const l = input.launcher;
    lines.push(
      `launcher '${l.name}' (${plural(l.processes, 'process')}) ran ${formatMs(l.wallMs)} with ${formatMs(l.cpuMs)} of CPU before ${input.runtime.name === 'other' ? 'the program' : input.runtime.name} started: counted in the start-up`,
    );
  }
  const tree = `${plural(input.processes, 'process')}, up to ${plural(input.maxThreads, 'thread')} at once`;
  const tt = a.turnTaking;
  if (tt) {
    const who = tt.cause === 'gil' ? "Python's GIL" : 'a lock (or a global interpreter lock)';
    lines.push(
      `${tt.threads} threads took turns on one CPU (${tt.cpus.toFixed(2)} CPUs busy at once, ${formatShare(tt.share)} of the steady state): ${who}; processes would run them in parallel`,
    );
  } else if (input.parallelism >= ALREADY_PARALLEL_AT) {
    lines.push(
      `already parallel: ${input.parallelism.toFixed(1)} CPUs busy at once on average while computing (${tree})`,
    );
  } else if (wall > 0 && cpu / wall >= 0.3) {
    lines.push(
      `one CPU at a time while computing: parallelism ${Math.max(1, input.parallelism).toFixed(2)} (${tree})`,
    );
  } else {
    lines.push(tree);
  }
  if (a.lockWaitMs >= RUN_QUEUE_SHOWN_AT * wall && tt) {
    lines.push(
      `${formatMs(a.lockWaitMs)} of hand-over wait between the threads taking turns: the lock, not a shortage of CPUs (not counted as waiting for a CPU)`,
    );
  }
  if (input.runQueueMs >= RUN_QUEUE_SHOWN_AT * wall) {
    lines.push(
      `runnable but waiting for a CPU ${formatMs(input.runQueueMs)} (${formatWaitShare(input.runQueueMs, wall)}): the machine is short of CPUs`,
    );
  }
  const byThread = cpuByThreadLine(a.threads, '');
  if (byThread) lines.push(byThread);
  if (a.helperCpuMs >= 0.05 * Math.max(cpu, 1) && a.helperCpuMs >= 5) {
    lines.push(
      `${formatMs(a.helperCpuMs)} on the runtime's own helper threads (compiling, GC) is left out of the label: it serves the program's threads, it is not its work`,
    );
  }
  return lines;
}

/**
 * `CPU by thread: main thread 31 ms; libuv's thread pool 120 ms (4 threads); …`, or null when
 * only one kind of thread computed. `per` follows each time (`' per run'`).
 */
export function cpuByThreadLine(threads: readonly ThreadKindUsage[], per: string): string | null {
  const shown = threads.filter((t) => t.cpuMs >= 1);
  if (shown.length === 0 || (shown.length === 1 && shown[0]!.kind === 'main' && shown[0]!.threads <= 1)) {
    return null;
  }
  const parts = shown.map(
    (t) =>
      `${THREAD_KIND_LABEL[t.kind]} ${formatMs(t.cpuMs)}${per}${t.threads > 1 ? ` (${plural(t.threads, t.kind === 'main' ? 'process' : 'thread')})` : ''}${t.counted ? '' : ', not counted'}`,
  );
  return `CPU by thread: ${parts.join('; ')}`;
}

/** The CPU the label counts over the whole run: all of it, less what the runtime's helpers used. */
export function labelCpu(totalCpuMs: number, a: TreeAnalysis): number {
  return Math.max(0, totalCpuMs - a.helperCpuMs);
}
