/**
 * The results JSON (`schemaVersion: 1`): what `runBench` returns, what `forkroad bench` writes and
 * what the docs site reads. `results/schema.json` is the same contract as a JSON Schema (draft
 * 2020-12); `validateResults` checks a document against it.
 *
 * Fields marked optional may be missing; readers must not rely on them. New optional fields may
 * be added without changing `schemaVersion`; renaming or removing a field changes it.
 */

/**
 * A suite's id (`io`, `cpu`, `overhead`, `pools`, `memory`, … : `SUITE_IDS` lists this version's).
 * Python's rows go into the suites that have them (`io`, `cpu`, `memory`).
 */
export type SuiteId = string;

/** What `runBench` can be asked to run: suites, and `python` for Python's rows in them. */
export type SuiteSelection = SuiteId | 'python';

export type BenchMode = 'smoke' | 'quick' | 'full';

export type Unit = 'ms' | 'tasks/s' | 'bytes';

export type Runtime = 'node' | 'python';

export type Model = 'sequential' | 'async' | 'threads' | 'processes';

/** The executor backends a run can be narrowed to (`forkroad bench --backend threads`). */
export type Backend = 'async' | 'threads' | 'processes';

export const BACKENDS: readonly Backend[] = ['async', 'threads', 'processes'];

export function isBackend(model: string): model is Backend {
  return (BACKENDS as readonly string[]).includes(model);
}

export interface BenchResults {
  schemaVersion: 1;
  /** ISO 8601, when the run finished. */
  generatedAt: string;
  mode: BenchMode;
  machine: Machine;
  suites: Suite[];
  /** Wall time of the whole run, ms. */
  durationMs?: number;
  /** The selection the run was asked for (`python` included when Python's rows were wanted). */
  selection?: SuiteSelection[];
  /** The backends the run was narrowed to (`--backend`); absent when all were measured. */
  backends?: Backend[];
}

export interface Machine {
  /** `os.cpus()[0].model`. */
  cpuModel: string;
  /** `os.availableParallelism()`. */
  cores: number;
  /** `os.totalmem()`. */
  memoryBytes: number;
  platform: string;
  arch: string;
  /** `process.version`, e.g. `v20.20.2`. */
  node: string;
  /** `python3 --version` without the word Python, e.g. `3.11.7`; null when no python3 was found. */
  python: string | null;
  /** `git rev-parse --short HEAD` of the forkroad checkout the bench ran from; null outside one. */
  commit: string | null;
  /** `os.loadavg()` (1, 5 and 15 minutes) when the run started: how busy the machine was. */
  loadAverage?: number[];
  /** `os.loadavg()` when the run finished. */
  loadAverageAfter?: number[];
}

export interface Suite {
  id: SuiteId;
  title: string;
  status: 'ok' | 'skipped';
  note?: string;
  experiments: Experiment[];
}

export interface Experiment {
  id: string;
  title: string;
  description: string;
  params: Record<string, number | string>;
  unit: Unit;
  /**
   * The label of the row that ratios are against. Python's rows have their ratios against the
   * Python row with that label, Node's against the Node row: a speedup is within one runtime.
   * Absent when ratios are against something that is not a row (see `ratioLabel`).
   */
  baseline?: string;
  /** What `ratio` means in this experiment, short enough for a column header, e.g. `speedup`. */
  ratioLabel?: string;
  rows: Row[];
  notes: string[];
}

export interface Row {
  /** Unique within the experiment for one runtime; Node and Python rows may share labels. */
  label: string;
  runtime: Runtime;
  model: Model;
  /** The library or construct measured, e.g. `@forkroad/threads` or `ThreadPoolExecutor`. */
  tool: string;
  /** Median of the samples, in the experiment's unit. 0 for a skipped row. */
  median: number;
  min: number;
  max: number;
  /** Number of measured samples (warm-up excluded). 0 for a skipped row. */
  samples: number;
  /** Against the experiment's baseline (or what `ratioLabel` says), e.g. a speedup. */
  ratio?: number;
  status?: 'ok' | 'skipped';
  note?: string;
  /** Extra numbers or words about this row: workers, µs per task, efficiency per core, … */
  details?: Record<string, number | string>;
}

/** Reported while `runBench` runs. */
export type BenchProgress =
  | { type: 'suite-start'; suite: SuiteId; title: string; total: number }
  | { type: 'step'; suite: SuiteId; done: number; total: number; label: string }
  | { type: 'suite-end'; suite: SuiteId; status: 'ok' | 'skipped'; ms: number };

export interface RunBenchOptions {
  /** Default `full`. */
  mode?: BenchMode;
  /**
   * What to run. Default: everything (the four suites with Python's rows). `python` adds Python's
   * rows to io, cpu and memory; `python` alone runs only those rows.
   */
  suites?: readonly SuiteSelection[];
  onProgress?: (event: BenchProgress) => void;
  /**
   * Only the rows of these backends (and the sequential rows they are compared with), e.g.
   * `['threads']` for `@forkroad/threads`'s own benchmark. Default: all three.
   */
  backends?: readonly Backend[];
  /** The Python interpreter. Default `python3` (or `$FORKROAD_PYTHON`). */
  python?: string;
  /** Aborting stops the run at the next sample and rejects with the signal's reason. */
  signal?: AbortSignal;
}
