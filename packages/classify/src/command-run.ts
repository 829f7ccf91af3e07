// Runs a command once as a child process and samples its tree until it exits.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { listPids, MS_PER_TICK, type ProcStat, readStat } from './procfs.js';
import { TreeTracker } from './tree.js';
import type { CommandRunSample } from './types.js';

/** Where a stream of the command goes: nowhere, this process's own stream, or a callback. */
export type OutputTarget = 'ignore' | 'inherit' | ((chunk: Buffer) => void);

/** What one run needs to know. */
export interface RunOptions {
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  timeout?: number | undefined;
  stdin?: 'ignore' | 'inherit' | undefined;
  stdout?: OutputTarget | undefined;
  stderr?: OutputTarget | undefined;
  killOrphans?: boolean | undefined;
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

/** The last bytes of the command's stderr kept for a failure report. */
const STDERR_TAIL_BYTES = 4096;

export interface RunResult extends CommandRunSample {
  /**
   * Time at the edges of the run that sampling could not see, other than CPU: from the spawn
   * call to the first sample, and from the last sample to the moment this process noticed the
   * exit. It may be this process's own scheduling delay, so it is not counted as blocked time.
   */
  unobservedMs: number;
  otherChildren: number[];
  unexplainedCpuMs: number;
  sawSchedstat: boolean;
  stderrTail: string;
  tracker: TreeTracker;
}

function childrenOfThisProcess(): Set<number> {
  const out = new Set<number>();
  for (const pid of listPids()) if (readStat(pid)?.ppid === process.pid) out.add(pid);
  return out;
}

const ticksOf = (st: ProcStat | null) => ({ user: st?.cutime ?? 0, system: st?.cstime ?? 0 });

export function startError(command: string, error: NodeJS.ErrnoException): CommandStartError {
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

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function signalTree(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Sampling period: fine while start-up happens, coarser for long runs (less overhead). */
export const samplePeriod = (elapsedMs: number) => (elapsedMs < 1000 ? 25 : elapsedMs < 10_000 ? 50 : 100);

export async function runOnce(argv: string[], options: RunOptions, token: string): Promise<RunResult> {
  const [file, ...args] = argv as [string, ...string[]];
  const before = childrenOfThisProcess();
  const self0 = ticksOf(readStat('self'));
  const t0 = performance.now();
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), [TOKEN_VARIABLE]: token },
    stdio: [options.stdin ?? 'ignore', stdioOf(options.stdout), 'pipe'],
    shell: false,
    windowsHide: true,
  });
  const streamsDone: Promise<unknown>[] = [];
  let stderrTail = Buffer.alloc(0);
  const stderrTarget = options.stderr;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = Buffer.concat([stderrTail, chunk]);
    if (stderrTail.length > STDERR_TAIL_BYTES) stderrTail = stderrTail.subarray(-STDERR_TAIL_BYTES);
    if (typeof stderrTarget === 'function') stderrTarget(chunk);
    else if (stderrTarget === 'inherit') process.stderr.write(chunk);
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) streamsDone.push(new Promise((resolve) => stream.once('close', resolve)));
  }
  if (child.stdout && typeof options.stdout === 'function') {
    const target = options.stdout;
    child.stdout.on('data', (chunk: Buffer) => target(chunk));
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

  const tracker = new TreeTracker(child.pid!, t0, { before });
  let done = false;
  let timedOut = false;
  let sampler: NodeJS.Timeout | undefined;
  const tick = () => {
    if (done) return;
    const now = performance.now();
    tracker.sample(now);
    sampler = setTimeout(tick, samplePeriod(now - t0));
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
  tracker.closeWindow(exit.at);
  const self1 = ticksOf(exit.self);
  const userMs = (self1.user - self0.user) * MS_PER_TICK;
  const systemMs = (self1.system - self0.system) * MS_PER_TICK;
  const wallMs = exit.at - t0;

  const tokenEntry = `${TOKEN_VARIABLE}=${token}`;
  let orphans = tracker.orphans(tokenEntry);
  if (orphans.length > 0) {
    await sleep(50); // let children that are already on their way out finish
    orphans = tracker.orphans(tokenEntry);
  }
  if (timedOut || options.killOrphans) signalTree(orphans, 'SIGKILL');
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
    stderrTail: stderrTail.toString('utf8').replace(/^[^\n]*\uFFFD/, ''),
    tracker,
  };
}

const stdioOf = (t: OutputTarget | undefined) => (typeof t === 'function' ? 'pipe' : (t ?? 'ignore'));

/** Wall time of `copies` copies started together (for the two-point probe). */
export async function runCopies(argv: string[], options: RunOptions, copies: number): Promise<number> {
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
