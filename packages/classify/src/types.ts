// The public shape of a classification. This module has no Node.js imports, on purpose: the
// decision engine and the docs site (a browser bundle) import these types alone, through
// `@forkroad/classify/types`.

/** What a workload mostly does while it runs. */
export type WorkloadKind = 'cpu-bound' | 'io-bound' | 'mixed';

/** The concurrency models a speedup is estimated for. */
export type ConcurrencyModel = 'async' | 'threads' | 'processes';

/**
 * Where the CPU time was spent.
 * - `main-thread`: on the JavaScript thread that called the function (it blocks the event loop).
 * - `off-main-thread`: on other threads of the process: libuv's thread pool (async `crypto`,
 *   `zlib`, `fs`), V8's helper threads, worker threads.
 * - `process-tree`: in the process tree of a command.
 * - `none`: too little CPU to say.
 */
export type CpuSite = 'main-thread' | 'off-main-thread' | 'process-tree' | 'none';

/**
 * Where the wall time went, for the bar the CLI draws. The three parts add up to
 * `wallMs × lanes`: `lanes` is 1 for a workload that runs one thing at a time and grows to the
 * number of threads kept busy at once when on-CPU plus run-queue time exceeds the wall time.
 */
export interface TimeBreakdown {
  /** CPU time (user + system). */
  onCpuMs: number;
  /** Time spent runnable but waiting for a CPU (run-queue wait, from schedstat). */
  runQueueMs: number;
  /** The rest: blocked on timers, sockets, files, locks, child processes or the thread pool. */
  blockedMs: number;
  lanes: number;
}

/**
 * Why an estimate is as high as it is and no higher. `gil`: Python threads run Python code one at
 * a time, so threads gain at most `1 ÷ compute share`.
 */
export type SpeedupLimit = 'serial-fraction' | 'workers' | 'cpu-capacity' | 'thread-pool' | 'gil';

/**
 * Estimated throughput speedup of running many independent copies of the measured work with
 * one concurrency model, against running them one after another, on this machine now.
 *
 * `speedup = min(amdahl(serialFraction, workers), capacity caps)`, never below 1, where
 * `amdahl(σ, n) = 1 / (σ + (1 − σ) / n)`.
 */
export interface SpeedupEstimate {
  /** ≥ 1. */
  speedup: number;
  /**
   * Copies in flight the estimate assumes (`workers` option). Defaults: async 100; threads and
   * processes `free CPUs ÷ computeShare`, from the free CPUs up to 64.
   */
  workers: number;
  /** The share of the work that model cannot overlap (0–1). */
  serialFraction: number;
  /** `amdahl`: serial fraction from the measured shares; `karp-flatt`: measured by the two-point probe. */
  method: 'amdahl' | 'karp-flatt';
  /** The bound that decided the number. */
  limitedBy: SpeedupLimit;
}

/** The machine's capacity as measured during the run. */
export interface Capacity {
  /** `os.availableParallelism()`: CPUs this process may run on. */
  availableParallelism: number;
  /** CPU limit of the cgroup (cgroup v2 `cpu.max`), when there is one. */
  cgroupLimit: number | null;
  /** CPUs kept busy by everything else on the machine during the measurement (from `os.cpus()`). */
  otherLoad: number;
  /** CPUs left for this workload: min(available, cgroup limit, host CPUs − other load), ≥ 1. */
  cores: number;
}

/** Result of a two-point probe: one copy vs `copies` copies at once. */
export interface ProbeResult {
  model: ConcurrencyModel;
  copies: number;
  /**
   * Wall time of one copy alone: the mean of the measured runs; for `async`, the fastest run less
   * the time the event-loop thread waited for a CPU held by other programs (Linux schedstat).
   */
  oneMs: number;
  /** Wall time of `copies` copies started together; for `async`, less the same wait. */
  allMs: number;
  /** `copies × oneMs / allMs`. */
  speedup: number;
  /** Karp–Flatt experimentally determined serial fraction `(1/ψ − 1/p) / (1 − 1/p)`, clamped to 0–1. */
  serialFraction: number;
}

/** One measured call of a function (warm-up calls are not kept). */
export interface FunctionRunSample {
  wallMs: number;
  /** CPU attributed to the work: the whole process, or the worker thread plus helper threads with `isolate`. */
  cpuMs: number;
  /** CPU of the thread that ran the function (main thread, or the worker with `isolate`). */
  threadCpuMs: number;
  /** CPU of other threads of the process (libuv pool, V8 helpers). */
  offThreadCpuMs: number;
  /** `offThreadCpuMs` by kind of thread (Linux). */
  offThreadCpuByKind?: Partial<Record<ThreadKind, number>>;
  /** Run-queue wait of the process's threads (Linux schedstat), 0 when unknown. */
  runQueueMs: number;
  /** Event-loop utilization of the loop that ran the function (0–1). */
  eventLoopUtilization: number;
  gcMs: number;
  /** Time other callbacks (not started by the function) ran on the same thread; 0 with `isolate`. */
  interferenceMs: number;
  fsReads: number;
  fsWrites: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
}

/** Details of a `classifyFunction` report: means per measured run. */
export interface FunctionDetails {
  isolated: boolean;
  warmup: number;
  /** How the thread's own CPU was measured. `event-loop` is an estimate from event-loop utilization. */
  threadCpuSource: 'schedstat' | 'threadCpuUsage' | 'event-loop';
  threadCpuMs: number;
  offThreadCpuMs: number;
  runQueueMs: number;
  eventLoopUtilization: number;
  gcMs: number;
  interferenceMs: number;
  fsReads: number;
  fsWrites: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
  samples: FunctionRunSample[];
}

/** One run of a command. */
export interface CommandRunSample {
  wallMs: number;
  userMs: number;
  systemMs: number;
  runQueueMs: number;
  /** CPU-weighted mean of CPU ÷ wall over the sampling windows (≥ 1). */
  parallelism: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Processes of the tree seen while sampling (the command included). */
  processes: number;
  /** Most threads alive at once in the tree. */
  maxThreads: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
  /** Pids of descendants still alive after the command exited. */
  orphans: number[];
}

/** Details of a `classifyCommand` report: means per run, except exit status and orphans (last run). */
export interface CommandDetails {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  userMs: number;
  systemMs: number;
  /** `exact`: the kernel's accounting of waited-for children (Linux `/proc/self/stat` cutime/cstime). */
  cpuSource: 'exact' | 'sampled';
  runQueueMs: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
  processes: number;
  maxThreads: number;
  orphans: number[];
  samples: CommandRunSample[];
}

/**
 * What a thread is, read from its name (`/proc/<pid>/task/<tid>/comm`) and, where the runtime
 * leaves its threads unnamed (Node 20), from when it was created.
 * - `main`: the process's first thread (the JavaScript thread of Node, Python's main thread).
 * - `thread-pool`: libuv's pool (async `crypto`, `zlib`, `fs`, `dns.lookup`).
 * - `runtime-helper`: threads of the runtime itself: V8's platform workers (background
 *   compilation, concurrent GC) and delayed-task scheduler, a JVM's GC and compiler threads.
 * - `worker`: Node `worker_threads`.
 * - `inspector`: Node's inspector/signal thread.
 * - `other`: any other thread: threads the program started (Python `threading`, native pools).
 */
export type ThreadKind = 'main' | 'thread-pool' | 'runtime-helper' | 'worker' | 'inspector' | 'other';

/** CPU and run-queue wait of one kind of thread (per run: the mean of the runs). */
export interface ThreadKindUsage {
  kind: ThreadKind;
  /** Threads of this kind seen. */
  threads: number;
  cpuMs: number;
  runQueueMs: number;
  /** Distinct thread names seen (`comm`), at most a few. */
  names: string[];
  /**
   * Whether this kind counts towards the label. Runtime helpers do not: their CPU (compiling
   * code on a first call, concurrent GC) serves the JavaScript thread, it is not the work.
   */
  counted: boolean;
}

/** A stretch of the run with one character. */
export type PhaseName = 'start-up' | 'steady' | 'shutdown';

export interface Phase {
  name: PhaseName;
  /** From the start of the run. */
  startMs: number;
  wallMs: number;
  cpuMs: number;
  runQueueMs: number;
  /**
   * See `WorkloadReport.computeShare`; time spent waiting for a lock while taking turns counts on
   * neither side, like waiting for a CPU.
   */
  computeShare: number;
  kind: WorkloadKind;
}

/** One sampling window of the timeline (about 100 ms; shorter at the edges). */
export interface TimelineWindow {
  /** From the start of the run (or of the sampling, for a running process). */
  startMs: number;
  wallMs: number;
  /** CPU of the whole process tree in the window. */
  cpuMs: number;
  /** Run-queue wait in the window, summed over threads. */
  runQueueMs: number;
  /** Run-queue wait of threads taking turns on a lock (GIL), counted apart from `runQueueMs`. */
  lockWaitMs: number;
  /** CPU by kind of thread. */
  cpuByKind: Partial<Record<ThreadKind, number>>;
  /** Threads that ran in the window (on CPU at least 2% of it). */
  activeThreads: number;
  phase: PhaseName;
}

/**
 * Several threads wanting to run, one running at a time: CPython's GIL, or any big lock. The
 * threads each got CPU in the same windows, while together they kept about one CPU busy and
 * more CPUs were free.
 */
export interface TurnTaking {
  /** Threads that took turns (most at once in a window). */
  threads: number;
  /** CPUs busy at once while they took turns (≈ 1). */
  cpus: number;
  /** Share of the steady state's wall time spent taking turns (0–1). */
  share: number;
  /** `gil`: the program is CPython (or another runtime with a global lock); `lock`: a lock of the program. */
  cause: 'gil' | 'lock';
  /** Run-queue wait of those threads: lock hand-over, not a shortage of CPUs. */
  lockWaitMs: number;
}

/** A run that did not end well: not a normal workload. */
export interface RunFailure {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The last lines of the command's stderr (at most 4 KiB), when captured. */
  stderrTail: string;
  /** One line, for people: `exited with code 1`, `killed by SIGKILL`, `stopped by the 5000 ms timeout`. */
  message: string;
}

/** The program already keeps several CPUs busy: a process pool, BLAS threads, worker threads. */
export interface AlreadyParallel {
  /** CPUs busy at once while computing. */
  cpus: number;
  /** What does it: several processes or several threads of one process. */
  by: 'processes' | 'threads';
}

/** The runtime a command ran, when forkroad recognises it. */
export interface RuntimeInfo {
  name: 'node' | 'python' | 'other';
  /** A global interpreter lock: Python threads run Python code one at a time. */
  gil: boolean;
  /** The executable of the main process at the end (after any launcher exec'd it). */
  executable: string | null;
}

/**
 * A launcher that ran before the real program (a pyenv/asdf shim, `npx`, a shell wrapper): its
 * processes and their CPU, counted in the start-up phase.
 */
export interface Launcher {
  /** The launcher's command name (`comm`). */
  name: string;
  processes: number;
  cpuMs: number;
  wallMs: number;
}

/** Speedup estimates in one runtime's models. */
export interface RuntimeSpeedups {
  /**
   * Node: `async` one event loop, `threads` worker_threads (parallel), `processes` child processes.
   * Python: `async` asyncio, `threads` ThreadPoolExecutor (under the GIL: at most `1 ÷ compute
   * share`), `processes` ProcessPoolExecutor.
   */
  node: Record<ConcurrencyModel, SpeedupEstimate>;
  python: Record<ConcurrencyModel, SpeedupEstimate>;
}

/** What `classifyFunction`, `classifyCommand` and `classifyProcess` return. */
export interface WorkloadReport {
  target: 'function' | 'command' | 'process';
  kind: WorkloadKind;
  /** Wall time of one run (mean). */
  wallMs: number;
  /** CPU time of one run (mean), user + system, all threads and processes of the work. */
  cpuMs: number;
  /** `cpuMs / wallMs`; above 1 when several CPUs worked at once. */
  cpuShare: number;
  /**
   * `CPU ÷ (CPU + blocked time)`: the share of its time the work computed rather than waited on
   * I/O, timers or locks. Run-queue wait (waiting for a CPU) counts on neither side, so it does
   * not depend on the machine's load. The label is read from it.
   */
  computeShare: number;
  /**
   * Mean number of CPUs kept busy while the work was on CPU; ≥ 1. Above 1 means parallelism is
   * already in use.
   */
  parallelism: number;
  /** 0–1. */
  confidence: number;
  /** Human-readable reasons, most important first. */
  evidence: string[];
  cpuSite: CpuSite;
  time: TimeBreakdown;
  /**
   * Estimated speedup of each model on this machine (see {@link SpeedupEstimate}), in the models
   * of the runtime measured: Python's for a Python command (see `runtime`), Node's otherwise.
   * Both are in `speedupByRuntime`.
   */
  speedup: Record<ConcurrencyModel, SpeedupEstimate>;
  /** The estimates in Node's and in Python's models. */
  speedupByRuntime?: RuntimeSpeedups;
  /** Set when the run failed (non-zero exit, signal, timeout): shown first; confidence is capped. */
  failure?: RunFailure;
  /** The phases found in the timeline (of the last run); the label is read from the steady state. */
  phases?: Phase[];
  /** Which phase the label comes from: `steady` when a start-up or shutdown phase was set apart. */
  labelFrom?: 'whole-run' | 'steady';
  /** The sampled timeline of the last run (commands and processes), at most 300 windows. */
  timeline?: TimelineWindow[];
  /** CPU by kind of thread. */
  threads?: ThreadKindUsage[];
  /** Threads taking turns on one CPU (GIL or a big lock); null when not seen. */
  turnTaking?: TurnTaking | null;
  /** The program already runs on several CPUs; null when not. */
  alreadyParallel?: AlreadyParallel | null;
  runtime?: RuntimeInfo;
  /** A launcher (pyenv shim, wrapper script) ran before the real program; null when none. */
  launcher?: Launcher | null;
  capacity: Capacity;
  /** Measured runs (warm-up excluded). */
  runs: number;
  /** Two-point probes, when requested. */
  probes: ProbeResult[];
  function?: FunctionDetails;
  command?: CommandDetails;
  process?: ProcessDetails;
}

/** Details of a `classifyProcess` report. */
export interface ProcessDetails {
  pid: number;
  /** The process's command line (`/proc/<pid>/cmdline`). */
  argv: string[];
  /** How long it was sampled. */
  durationMs: number;
  /** The process exited before the end of the sampling: the report covers the time until then. */
  exited: boolean;
  /** Processes seen (the process and its descendants). */
  processes: number;
  maxThreads: number;
  runQueueMs: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
}
