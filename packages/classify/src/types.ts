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

/** Why an estimate is as high as it is and no higher. */
export type SpeedupLimit = 'serial-fraction' | 'workers' | 'cpu-capacity' | 'thread-pool';

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

/** What `classifyFunction` and `classifyCommand` return. */
export interface WorkloadReport {
  target: 'function' | 'command';
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
  /** Estimated speedup of each model on this machine (see {@link SpeedupEstimate}). */
  speedup: Record<ConcurrencyModel, SpeedupEstimate>;
  capacity: Capacity;
  /** Measured runs (warm-up excluded). */
  runs: number;
  /** Two-point probes, when requested. */
  probes: ProbeResult[];
  function?: FunctionDetails;
  command?: CommandDetails;
}
