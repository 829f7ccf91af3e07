/**
 * @forkroad/bench: the concurrency guide's experiments measured on forkroad's backends, with
 * Python's numbers beside Node's, written as one JSON document (`results/schema.json`).
 *
 * ```ts
 * import { runBench } from '@forkroad/bench';
 * const results = await runBench({ mode: 'quick', suites: ['io', 'cpu', 'python'] });
 * ```
 */
export { type FormatOptions, formatResults, formatValue } from './format.js';
export { describeMachine, gitCommit } from './machine.js';
export { median } from './measure.js';
export { formatBytes, formatNumber } from './numbers.js';
export { findPython, type PythonInfo } from './python.js';
export { MODES, planSelection, runBench, SELECTIONS, SUITE_IDS } from './run.js';
export { type DelayServer, startDelayServer } from './server.js';
export { PRIME_NUMBERS } from './suites/cpu.js';
export { evaluateTargets, formatTargets, type Target } from './targets.js';
export type {
  Backend,
  BenchMode,
  BenchProgress,
  BenchResults,
  Experiment,
  Machine,
  Model,
  Row,
  RunBenchOptions,
  Runtime,
  Suite,
  SuiteId,
  SuiteSelection,
  Unit,
} from './types.js';
export { BACKENDS } from './types.js';
export { assertValidResults, InvalidResultsError, validateResults } from './validate.js';
