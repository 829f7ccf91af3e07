import { availableParallelism } from 'node:os';
import { PYTHON_ABSENT, type SuiteContext, type SuiteDefinition } from './context.js';
import { describeMachine, loadAverage } from './machine.js';
import { findPython } from './python.js';
import { SUITES } from './suites/index.js';
import {
  BACKENDS,
  type BenchMode,
  type BenchResults,
  isBackend,
  type RunBenchOptions,
  type Suite,
  type SuiteId,
  type SuiteSelection,
} from './types.js';
import { assertValidResults } from './validate.js';

/** The suites in the order they run. */
export const SUITE_IDS: readonly SuiteId[] = SUITES.map((s) => s.id);

/** Everything `suites` accepts: the suites and `python`. */
export const SELECTIONS: readonly SuiteSelection[] = [...SUITE_IDS, 'python'];

export const MODES: readonly BenchMode[] = ['smoke', 'quick', 'full'];

const definitions = new Map<SuiteId, SuiteDefinition>(SUITES.map((s) => [s.id, s]));

/** The suites Python has rows in. */
const PYTHON_SUITES: readonly SuiteId[] = SUITES.filter((s) => s.python).map((s) => s.id);

/** Which suites run, with or without Node's and Python's rows, for a selection. */
export function planSelection(
  selection: readonly SuiteSelection[],
): { suite: SuiteId; node: boolean; python: boolean }[] {
  for (const s of selection) {
    if (!SELECTIONS.includes(s))
      throw new RangeError(`unknown suite ${JSON.stringify(s)}; expected one of ${SELECTIONS.join(', ')}`);
  }
  const python = selection.includes('python');
  const nodeSuites = SUITE_IDS.filter((id) => selection.includes(id));
  // `python` alone: Python's rows of every suite that has them.
  const suites = nodeSuites.length > 0 ? nodeSuites : PYTHON_SUITES;
  return suites.map((suite) => ({
    suite,
    node: nodeSuites.includes(suite),
    python: python && PYTHON_SUITES.includes(suite),
  }));
}

/**
 * Runs the benchmark suites and returns the results document (validated against the schema).
 * Suites run one after another, never at the same time, so that one does not disturb another.
 */
export async function runBench(options: RunBenchOptions = {}): Promise<BenchResults> {
  const started = performance.now();
  const mode = options.mode ?? 'full';
  if (!MODES.includes(mode))
    throw new RangeError(`unknown mode ${JSON.stringify(mode)}; expected one of ${MODES.join(', ')}`);
  const selection =
    options.suites && options.suites.length > 0 ? [...new Set(options.suites)] : [...SELECTIONS];
  const plan = planSelection(selection);
  const backends = new Set(options.backends && options.backends.length > 0 ? options.backends : BACKENDS);
  for (const b of backends) {
    if (!isBackend(b))
      throw new RangeError(`unknown backend ${JSON.stringify(b)}; expected one of ${BACKENDS.join(', ')}`);
  }
  const python = findPython(options.python ?? process.env.FORKROAD_PYTHON ?? 'python3');
  const machine = describeMachine(python?.version ?? null);
  const suites: Suite[] = [];
  for (const { suite: id, node, python: pythonRows } of plan) {
    options.signal?.throwIfAborted();
    const definition = definitions.get(id)!;
    let done = 0;
    const ctx: SuiteContext = {
      mode,
      cores: availableParallelism(),
      node,
      pythonRows,
      python: pythonRows ? python : null,
      backends,
      ...(options.signal ? { signal: options.signal } : {}),
      tick: (label) => {
        done++;
        options.onProgress?.({ type: 'step', suite: id, done, total, label });
      },
    };
    const total = definition.steps(ctx);
    const suiteStarted = performance.now();
    const load = loadAverage()[0]!;
    options.onProgress?.({ type: 'suite-start', suite: id, title: definition.title, total });
    const suite = await definition.run(ctx);
    // An experiment none of whose rows was asked for (another backend's) is left out.
    suite.experiments = suite.experiments.filter((e) => e.rows.length > 0);
    if (!node && !python) {
      suite.status = 'skipped';
      suite.note = `${PYTHON_ABSENT}; only Python's rows were asked for.`;
    } else if (suite.status === 'ok') {
      const busy = `Load average when this suite started: ${load} (1 min) on ${ctx.cores} cores.`;
      suite.note = suite.note ? `${suite.note} ${busy}` : busy;
    }
    suites.push(suite);
    options.onProgress?.({
      type: 'suite-end',
      suite: id,
      status: suite.status,
      ms: performance.now() - suiteStarted,
    });
  }
  const results: BenchResults = {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    mode,
    machine: { ...machine, loadAverageAfter: loadAverage() },
    suites,
    durationMs: Math.round(performance.now() - started),
    selection,
    ...(backends.size < BACKENDS.length ? { backends: [...backends] } : {}),
  };
  assertValidResults(results);
  return results;
}
