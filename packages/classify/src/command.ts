// classifyCommand: run any program as a child process on Linux and measure its whole tree.
//
// How it measures:
// - Exact CPU of the tree: the kernel adds the CPU of every child a process waits for (and
//   of the children that child waited for) to the parent's cutime/cstime. The delta of this
//   process's cutime/cstime (/proc/self/stat) around the child's life is the CPU of the whole
//   tree, as long as each process in it was waited for. Runs are serialized within this process
//   so that two classifications do not mix; other children of this process ending during the
//   window would be counted too, so they are detected and reported.
// - Sampling, every 25–100 ms, of /proc for the live descendants: per-thread on-CPU time and
//   run-queue wait (schedstat), context switches (status), thread counts. That gives the
//   parallelism in use, the time spent waiting for a CPU, and the pids of the tree.
// - Orphans: every descendant inherits a token in its environment; descendants still alive after
//   the command exited (found by pid and start time, or by the token in /proc/<pid>/environ)
//   are reported.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  CPU_BOUND_AT,
  computeShare,
  formatMs,
  formatShare,
  formatWaitShare,
  karpFlatt,
  type Penalty,
} from './analysis.js';
import { cpuSnapshot, measureCapacity } from './capacity.js';
import { checkCount } from './function.js';
import {
  environHas,
  hasProc,
  lastPid,
  listPids,
  listTasks,
  MS_PER_TICK,
  type ProcStat,
  readContextSwitches,
  readSchedstat,
  readStat,
} from './procfs.js';
import { assembleReport, mean, round } from './report.js';
import type {
  CommandDetails,
  CommandRunSample,
  ConcurrencyModel,
  ProbeResult,
  WorkloadReport,
} from './types.js';

/** Where a stream of the command goes: nowhere, this process's own stream, or a callback. */
export type OutputTarget = 'ignore' | 'inherit' | ((chunk: Buffer) => void);

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
  /** Default `'ignore'`. */
  stderr?: OutputTarget;
  /** SIGKILL descendants left running after the command exited (default false: only report them). */
  killOrphans?: boolean;
}

/** The command could not be started: not found, not executable, bad working directory. */
export class CommandStartError extends Error {
  override name = 'CommandStartError';
  constructor(
    message: string,
    readonly command: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Name of the environment variable that marks the descendants of a measured command. */
export const TOKEN_VARIABLE = 'FORKROAD_CLASSIFY_TOKEN';

let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task, task);
  queue = result.catch(() => undefined);
  return result;
}

interface ThreadState {
  execNs: number;
  runDelayNs: number;
  voluntary: number;
  nonvoluntary: number;
}

/** Samples the live process tree of one command. */
class TreeTracker {
  private rootStart: number | null = null;
  /** Every process seen in the tree: pid → start time. */
  readonly members = new Map<number, number>();
  private live = new Set<number>();
  private readonly threads = new Map<string, ThreadState>();
  private lastPidSeen: number | null = null;
  private count = 0;
  readonly otherChildren = new Set<number>();
  maxThreads = 0;
  sawSchedstat = false;
  /** Tree CPU at the last sample (ticks, from stat). */
  treeTicks = 0;
  lastSampleAt: number;
  firstSampleAt: number | null = null;
  /** CPU (from per-thread schedstat) and wall time per window of ≥ 100 ms. */
  readonly windows: { wallMs: number; cpuMs: number }[] = [];
  private windowWall = 0;
  private windowCpu = 0;

  constructor(
    private readonly rootPid: number,
    startedAt: number,
    private readonly before: ReadonlySet<number>,
  ) {
    this.lastSampleAt = startedAt;
  }

  sample(now: number): void {
    const lp = lastPid();
    const rescan = lp === null || lp !== this.lastPidSeen || this.count % 20 === 0;
    this.lastPidSeen = lp;
    this.count++;
    this.firstSampleAt ??= now;
    const stats = new Map<number, ProcStat>();
    if (rescan) {
      // Only processes born after the command can be its descendants: pids grow until they wrap.
      const wrapped = lp !== null && lp < this.rootPid;
      for (const pid of listPids()) {
        if (pid < this.rootPid && !(wrapped && lp !== null && pid <= lp)) continue;
        const st = readStat(pid);
        if (st) stats.set(pid, st);
      }
    } else {
      for (const pid of this.live) {
        const st = readStat(pid);
        if (st) stats.set(pid, st);
      }
    }
    const root = stats.get(this.rootPid);
    if (root && this.rootStart === null) this.rootStart = root.starttime;
    const tree = new Set<number>();
    if (root && root.starttime === this.rootStart) {
      const children = new Map<number, number[]>();
      for (const st of stats.values()) {
        const list = children.get(st.ppid);
        if (list) list.push(st.pid);
        else children.set(st.ppid, [st.pid]);
        if (st.ppid === process.pid && st.pid !== this.rootPid && !this.before.has(st.pid)) {
          this.otherChildren.add(st.pid);
        }
      }
      const todo = [this.rootPid];
      while (todo.length > 0) {
        const pid = todo.pop()!;
        const st = stats.get(pid);
        if (!st || tree.has(pid) || st.starttime < (this.rootStart ?? 0)) continue;
        tree.add(pid);
        if (!this.members.has(pid)) this.members.set(pid, st.starttime);
        for (const c of children.get(pid) ?? []) todo.push(c);
      }
    }
    this.live = tree;

    let ticks = 0;
    let threadCount = 0;
    let cpuNs = 0;
    for (const pid of tree) {
      const st = stats.get(pid)!;
      ticks += st.utime + st.stime + st.cutime + st.cstime;
      threadCount += Number.isFinite(st.numThreads) ? st.numThreads : 1;
      for (const tid of listTasks(pid)) {
        const key = `${pid}:${st.starttime}:${tid}`;
        const prev = this.threads.get(key);
        const sched = readSchedstat(`/proc/${pid}/task/${tid}/schedstat`);
        const ctx = readContextSwitches(pid, tid);
        const next: ThreadState = {
          execNs: Math.max(prev?.execNs ?? 0, sched?.execNs ?? 0),
          runDelayNs: Math.max(prev?.runDelayNs ?? 0, sched?.runDelayNs ?? 0),
          voluntary: Math.max(prev?.voluntary ?? 0, ctx?.voluntary ?? 0),
          nonvoluntary: Math.max(prev?.nonvoluntary ?? 0, ctx?.nonvoluntary ?? 0),
        };
        if (sched) this.sawSchedstat = true;
        cpuNs += next.execNs - (prev?.execNs ?? 0);
        this.threads.set(key, next);
      }
    }
    this.maxThreads = Math.max(this.maxThreads, threadCount);
    this.treeTicks = Math.max(this.treeTicks, ticks);
    this.windowWall += now - this.lastSampleAt;
    this.windowCpu += cpuNs / 1e6;
    this.lastSampleAt = now;
    if (this.windowWall >= 100) this.closeWindow();
  }

  closeWindow(): void {
    if (this.windowWall > 0) this.windows.push({ wallMs: this.windowWall, cpuMs: this.windowCpu });
    this.windowWall = 0;
    this.windowCpu = 0;
  }

  /** Live pids of the tree at the last sample, the command included. */
  livePids(): number[] {
    return [...this.live];
  }

  totals(): { runQueueMs: number; voluntary: number; nonvoluntary: number } {
    let runDelay = 0;
    let voluntary = 0;
    let nonvoluntary = 0;
    for (const t of this.threads.values()) {
      runDelay += t.runDelayNs;
      voluntary += t.voluntary;
      nonvoluntary += t.nonvoluntary;
    }
    return { runQueueMs: runDelay / 1e6, voluntary, nonvoluntary };
  }

  /** CPU-weighted mean of CPU ÷ wall over the windows: CPUs busy at once while computing. */
  parallelism(): number {
    let weight = 0;
    let sum = 0;
    for (const w of this.windows) {
      if (w.wallMs <= 0 || w.cpuMs <= 0) continue;
      weight += w.cpuMs;
      sum += (w.cpuMs * w.cpuMs) / w.wallMs;
    }
    return weight > 0 ? sum / weight : 0;
  }

  /** Descendants still alive: the ones seen while sampling, and any carrying the token. */
  orphans(token: string): number[] {
    const found = new Set<number>();
    for (const [pid, start] of this.members) {
      if (pid === this.rootPid) continue;
      const st = readStat(pid);
      if (st && st.starttime === start && st.state !== 'Z' && st.state !== 'X') found.add(pid);
    }
    const lp = lastPid();
    const wrapped = lp !== null && lp < this.rootPid;
    for (const pid of listPids()) {
      if (pid === this.rootPid || pid === process.pid || found.has(pid)) continue;
      if (pid < this.rootPid && !(wrapped && lp !== null && pid <= lp)) continue;
      if (!environHas(pid, `${TOKEN_VARIABLE}=${token}`)) continue;
      const st = readStat(pid);
      if (st && st.state !== 'Z' && st.state !== 'X') found.add(pid);
    }
    return [...found].sort((a, b) => a - b);
  }
}

function childrenOfThisProcess(): Set<number> {
  const out = new Set<number>();
  for (const pid of listPids()) if (readStat(pid)?.ppid === process.pid) out.add(pid);
  return out;
}

const ticksOf = (st: ProcStat | null) => ({ user: st?.cutime ?? 0, system: st?.cstime ?? 0 });

function startError(command: string, error: NodeJS.ErrnoException): CommandStartError {
  const what =
    error.code === 'ENOENT'
      ? 'command not found'
      : error.code === 'EACCES'
        ? 'permission denied'
        : error.code === 'ENOTDIR'
          ? 'not a directory'
          : error.message;
  return new CommandStartError(`cannot run '${command}': ${what}`, command, error.code);
}

const stdioOf = (t: OutputTarget | undefined) => (typeof t === 'function' ? 'pipe' : (t ?? 'ignore'));

interface RunResult extends CommandRunSample {
  /**
   * Time at the edges of the run that sampling could not see, other than CPU: from the spawn
   * call to the first sample, and from the last sample to the moment this process noticed the
   * exit. It may be this process's own scheduling delay, so it is not counted as blocked time.
   */
  unobservedMs: number;
  otherChildren: number[];
  unexplainedCpuMs: number;
  sawSchedstat: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function signalTree(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function runOnce(argv: string[], options: ClassifyCommandOptions, token: string): Promise<RunResult> {
  const [file, ...args] = argv as [string, ...string[]];
  const before = childrenOfThisProcess();
  const self0 = ticksOf(readStat('self'));
  const t0 = performance.now();
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), [TOKEN_VARIABLE]: token },
    stdio: [options.stdin ?? 'ignore', stdioOf(options.stdout), stdioOf(options.stderr)],
    shell: false,
    windowsHide: true,
  });
  const streamsDone: Promise<unknown>[] = [];
  for (const [stream, target] of [
    [child.stdout, options.stdout],
    [child.stderr, options.stderr],
  ] as const) {
    if (stream && typeof target === 'function') {
      stream.on('data', (chunk: Buffer) => target(chunk));
      streamsDone.push(new Promise((resolve) => stream.once('close', resolve)));
    }
  }
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    at: number;
    self: ProcStat | null;
  }>((resolve) => {
    // Read the accounting at once: libuv has just reaped the child.
    child.once('exit', (code, signal) =>
      resolve({ code, signal, at: performance.now(), self: readStat('self') }),
    );
  });
  const started = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', (e) => resolve(e));
  });
  if (started) throw startError(file, started);
  child.on('error', () => undefined); // e.g. a failed kill(): the exit is what counts

  const tracker = new TreeTracker(child.pid!, t0, before);
  let done = false;
  let timedOut = false;
  let sampler: NodeJS.Timeout | undefined;
  const tick = () => {
    if (done) return;
    const now = performance.now();
    tracker.sample(now);
    const elapsed = now - t0;
    sampler = setTimeout(tick, elapsed < 1000 ? 25 : elapsed < 10_000 ? 50 : 100);
  };
  tick();
  let killer: NodeJS.Timeout | undefined;
  const timer =
    options.timeout === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          const pids = [child.pid!, ...tracker.livePids()];
          signalTree(pids, 'SIGTERM');
          killer = setTimeout(() => signalTree(pids, 'SIGKILL'), 1000);
        }, options.timeout);

  const exit = await exited;
  done = true;
  clearTimeout(sampler);
  clearTimeout(timer);
  tracker.closeWindow();
  const self1 = ticksOf(exit.self);
  const userMs = (self1.user - self0.user) * MS_PER_TICK;
  const systemMs = (self1.system - self0.system) * MS_PER_TICK;
  const wallMs = exit.at - t0;

  let orphans = tracker.orphans(token);
  if (orphans.length > 0) {
    await sleep(50); // let children that are already on their way out finish
    orphans = tracker.orphans(token);
  }
  if (timedOut) signalTree(orphans, 'SIGKILL');
  else if (options.killOrphans) signalTree(orphans, 'SIGKILL');
  clearTimeout(killer);
  await Promise.race([Promise.all(streamsDone), sleep(200)]);
  child.stdout?.destroy();
  child.stderr?.destroy();

  const totals = tracker.totals();
  const sampledMs = tracker.treeTicks * MS_PER_TICK;
  const slack = (exit.at - tracker.lastSampleAt) * Math.max(1, tracker.maxThreads) + 2 * MS_PER_TICK;
  const tailCpuMs = Math.max(0, userMs + systemMs - sampledMs);
  const unobservedMs =
    Math.max(0, (tracker.firstSampleAt ?? exit.at) - t0) +
    Math.max(0, exit.at - tracker.lastSampleAt - tailCpuMs);
  let parallelism = tracker.parallelism();
  if (parallelism === 0 && wallMs > 0) parallelism = (userMs + systemMs) / wallMs;
  return {
    wallMs,
    userMs,
    systemMs,
    runQueueMs: totals.runQueueMs,
    parallelism,
    exitCode: exit.code,
    signal: exit.signal,
    timedOut,
    processes: tracker.members.size,
    maxThreads: tracker.maxThreads,
    voluntaryContextSwitches: totals.voluntary,
    involuntaryContextSwitches: totals.nonvoluntary,
    orphans,
    unobservedMs: Math.min(unobservedMs, wallMs),
    otherChildren: [...tracker.otherChildren],
    unexplainedCpuMs: Math.max(0, userMs + systemMs - sampledMs - slack),
    sawSchedstat: tracker.sawSchedstat,
  };
}

/** Wall time of `copies` copies started together (for the two-point probe). */
async function runCopies(argv: string[], options: ClassifyCommandOptions, copies: number): Promise<number> {
  const [file, ...args] = argv as [string, ...string[]];
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: copies },
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(file, args, {
            cwd: options.cwd,
            env: options.env ?? process.env,
            stdio: 'ignore',
            shell: false,
            timeout: options.timeout,
          });
          child.once('error', (e) => reject(startError(file, e)));
          child.once('exit', () => resolve());
        }),
    ),
  );
  return performance.now() - t0;
}

/**
 * Runs `argv` (no shell: `['python3', 'script.py']`, or `['sh', '-c', '…']` to use one) and
 * says whether it is CPU-bound, I/O-bound or mixed, from the CPU of its whole process tree
 * against wall time, run-queue wait and parallelism. Linux only (it reads /proc). Rejects with
 * {@link CommandStartError} when the command cannot be started; a command that fails or is
 * killed is still measured, and its exit code and signal are reported.
 */
export function classifyCommand(
  argv: readonly string[],
  options: ClassifyCommandOptions = {},
): Promise<WorkloadReport> {
  return serialized(() => classifyCommandNow([...argv], options));
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
  const runQueue = avg('runQueueMs');
  const parallelism = mean(
    results.map((r) => Math.max(r.parallelism, r.wallMs > 0 ? (r.userMs + r.systemMs) / r.wallMs : 0)),
  );
  const processes = Math.max(...results.map((r) => r.processes));
  const maxThreads = Math.max(...results.map((r) => r.maxThreads));
  const vcs = avg('voluntaryContextSwitches');
  const ivcs = avg('involuntaryContextSwitches');
  const orphans = [...new Set(results.flatMap((r) => r.orphans))].sort((a, b) => a - b);
  const otherChildren = [...new Set(results.flatMap((r) => r.otherChildren))];
  // The label leaves out the unobserved edges of each run (see RunResult.unobservedMs).
  const observedWall = mean(results.map((r) => r.wallMs - r.unobservedMs));
  const shares = results.map((r) =>
    computeShare(r.wallMs - r.unobservedMs, r.userMs + r.systemMs, r.runQueueMs),
  );
  const share = computeShare(observedWall, cpu, runQueue);

  const evidence: string[] = [];
  evidence.push(
    `CPU ${formatMs(cpu)} (user ${formatMs(user)}, system ${formatMs(system)}) over ${formatMs(wall)} wall: CPU ÷ wall ${(cpu / wall).toFixed(2)}, exact, from the kernel's accounting of waited-for children`,
  );
  const tree = `${processes} process${processes === 1 ? '' : 'es'}, up to ${maxThreads} thread${maxThreads === 1 ? '' : 's'} at once`;
  if (parallelism >= 1.3) {
    evidence.push(
      `already parallel: ${parallelism.toFixed(1)} CPUs busy at once on average while computing (${tree})`,
    );
  } else if (cpu / wall >= 0.3) {
    evidence.push(
      `one CPU at a time while computing: parallelism ${Math.max(1, parallelism).toFixed(2)} (${tree})`,
    );
  } else {
    evidence.push(tree);
  }
  if (runQueue >= 0.02 * wall) {
    evidence.push(
      `runnable but waiting for a CPU ${formatMs(runQueue)} (${formatWaitShare(runQueue, wall)}): the machine is short of CPUs`,
    );
  }
  if (share < CPU_BOUND_AT) {
    evidence.push(
      `blocked ${formatShare(Math.max(0, wall - cpu - runQueue) / wall)} of the time: sleeping, waiting on I/O, locks or child processes`,
    );
  }
  evidence.push(
    `${round(vcs, 0)} voluntary (it blocked) vs ${round(ivcs, 0)} involuntary (it was preempted) context switches, sampled`,
  );

  const penalties: Penalty[] = [];
  if (last.timedOut) {
    penalties.push({
      factor: 0.8,
      reason: `stopped by the ${options.timeout} ms timeout: the label covers only the part that ran`,
    });
  } else if (last.signal) {
    penalties.push({
      factor: 0.8,
      reason: `killed by ${last.signal}: the label covers only the part that ran`,
    });
  } else if (last.exitCode !== 0) {
    penalties.push({
      factor: 0.9,
      reason: `exited with code ${last.exitCode}: a failing command may not have done its usual work`,
    });
  } else {
    evidence.push('exited with code 0');
  }
  if (orphans.length > 0) {
    const killed = options.killOrphans || last.timedOut ? ' (killed)' : '';
    penalties.push({
      factor: 0.8,
      reason: `left ${orphans.length} process${orphans.length === 1 ? '' : 'es'} running after it exited${killed}, pids ${orphans.join(', ')}: their CPU is not counted; the label covers the command until it exited`,
    });
  }
  const unexplained = Math.max(...results.map((r) => r.unexplainedCpuMs));
  if (otherChildren.length > 0 || unexplained > 0.1 * wall) {
    const which = otherChildren.length > 0 ? ` (pids ${otherChildren.join(', ')})` : '';
    penalties.push({
      factor: 0.7,
      reason: `other child processes of this process ran during the measurement${which}: those that ended are counted in the tree's CPU`,
    });
  }
  if (!results.some((r) => r.sawSchedstat)) {
    penalties.push({ factor: 0.9, reason: 'no schedstat in /proc: run-queue wait unknown' });
  }
  if (runs === 1 && wall < 100) {
    penalties.push({ factor: 0.9, reason: 'a single short run' });
  }

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

  const base = assembleReport({
    target: 'command',
    wallMs: wall,
    observedWallMs: observedWall,
    cpuMs: cpu,
    runQueueMs: runQueue,
    serialMs: cpu,
    threadPoolCpuMs: 0,
    threadPoolSize: 0,
    parallelism,
    cpuSite: cpu < Math.max(2 * MS_PER_TICK, 0.05 * wall) ? 'none' : 'process-tree',
    capacity,
    shares,
    probes,
    evidence,
    penalties,
    workers: options.workers,
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
    samples: results.map(
      ({ otherChildren: _o, unexplainedCpuMs: _u, sawSchedstat: _s, unobservedMs: _n, ...r }) => ({
        ...r,
        wallMs: round(r.wallMs),
        userMs: round(r.userMs),
        systemMs: round(r.systemMs),
        runQueueMs: round(r.runQueueMs),
        parallelism: round(Math.max(1, r.parallelism), 2),
      }),
    ),
  };
  return { ...base, command: details };
}
