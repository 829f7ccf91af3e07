// The numbers the classifier decides with, in one place. No Node.js imports: the analysis runs
// in a browser too.

/** A workload that needs a CPU at least this share of its wall time is CPU-bound. */
export const CPU_BOUND_AT = 0.7;
/** A workload that needs a CPU at most this share of its wall time is I/O-bound. */
export const IO_BOUND_AT = 0.3;
/** Run-queue wait (waiting for a CPU) worth an evidence line, as a share of the wall time. */
export const RUN_QUEUE_SHOWN_AT = 0.02;
/** CPUs busy at once while computing from which a program counts as already parallel. */
export const ALREADY_PARALLEL_AT = 1.3;
/** A failed run is not a workload: its confidence is at most this. */
export const FAILED_CONFIDENCE_CAP = 0.4;

/** Confidence factors (0–1) for what makes a measurement less certain. */
export const PENALTY = {
  /** Stopped by the timeout, or killed by a signal: only part of the work ran. */
  cutShort: 0.8,
  /** Descendants left running after the command exited. */
  orphans: 0.8,
  /** Other children of the measuring process ended during the measurement. */
  otherChildren: 0.7,
  /** No schedstat: run-queue wait unknown. */
  noSchedstat: 0.9,
  /** One run only, and a short one (or one measured call). */
  singleRun: 0.9,
  /** Runs under 20 ms: timer and scheduler noise weigh more. */
  shortRuns: 0.7,
  /** No per-thread CPU accounting: estimated from event-loop utilization. */
  estimatedThreadCpu: 0.85,
  /** Other work on the machine kept a few CPUs busy (≥ 0.5), or half of them. */
  otherLoad: 0.9,
  heavyOtherLoad: 0.8,
  /** The process exited before the end of the sampling window. */
  exitedEarly: 0.8,
} as const;

/** Thread-turn detection: a thread takes part when it had at least this share of its group's CPU in a window. */
export const TURN_THREAD_SHARE = 0.1;
/** …that blocked at least once per this many milliseconds of its CPU (CPython's GIL hands over every 5 ms)… */
export const TURN_BLOCK_EVERY_MS = 20;
/** …and together kept at most this many CPUs busy (one at a time, with hand-over slack). */
export const TURN_MAX_CPUS = 1.2;
/** …in at least this share of the steady state's windows. */
export const TURN_WINDOWS_SHARE = 0.5;

/** Phases: a start-up or shutdown stretch is set apart only when the rest is at least this share of the run. */
export const STEADY_MIN_SHARE = 0.5;
