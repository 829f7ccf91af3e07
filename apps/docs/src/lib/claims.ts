/**
 * Every number or comparison the guide's prose states, computed from the results JSON. The guide
 * writes `<M fact="…" />` where a sentence needs a measured value, so the sentence changes when
 * the data does; `test/claims.test.ts` checks that every fact the pages name exists and that the
 * prose has no measured number typed in by hand.
 */
import { type BenchResults, formatBytes, formatNumber, type Row, type SuiteId } from './bench';

export function findRow(
  results: BenchResults,
  suite: SuiteId,
  experiment: string,
  runtime: Row['runtime'],
  label: string,
): Row | undefined {
  const row = results.suites
    .find((s) => s.id === suite)
    ?.experiments.find((e) => e.id === experiment)
    ?.rows.find((r) => r.runtime === runtime && r.label === label);
  return row && row.status !== 'skipped' ? row : undefined;
}

/** A duration for prose: µs below a millisecond, s from ten seconds. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${formatNumber(ms * 1000)} µs`;
  if (ms >= 10_000) return `${formatNumber(ms / 1000)} s`;
  return `${formatNumber(ms)} ms`;
}

export function formatSpeedup(ratio: number): string {
  return `${formatNumber(ratio)}×`;
}

/** How a ratio compares with 1 (a sequential loop), with a 5 % band for "about as fast". */
export function compareWithOne(ratio: number, subject = 'the sequential loop'): string {
  if (ratio < 0.95) return `slower than ${subject}`;
  if (ratio > 1.05) return `faster than ${subject}`;
  return `about as fast as ${subject}`;
}

/** Is the machine small (few cores) or was it busy (load average at the start ≥ half the cores)? */
export function machineCaveats(results: BenchResults): {
  small: boolean;
  busy: boolean;
  load: number | null;
} {
  const load = results.machine.loadAverage?.[0] ?? null;
  return {
    small: results.machine.cores <= 4,
    busy: load !== null && load >= results.machine.cores / 2,
    load,
  };
}

/** The phrase a suite's note starts its caveat with when the suite was measured in a run of its own. */
export const SEPARATE_RUN = 'Measured separately';

/** The suites measured in a run of their own (their note says so), which may be another machine or time. */
export function separatelyMeasured(results: BenchResults): BenchResults['suites'] {
  return results.suites.filter((suite) => suite.note?.includes(SEPARATE_RUN));
}

/** The measured facts the guide states, by name. A fact whose rows were not measured is absent. */
export function measuredFacts(results: BenchResults): Record<string, string> {
  const facts: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined) facts[key] = value;
  };
  const median = (suite: SuiteId, experiment: string, runtime: Row['runtime'], label: string) =>
    findRow(results, suite, experiment, runtime, label)?.median;
  const duration = (ms: number | undefined) => (ms === undefined ? undefined : formatDuration(ms));
  const bytes = (b: number | undefined) => (b === undefined ? undefined : formatBytes(b));

  const { machine } = results;
  const { load } = machineCaveats(results);
  put('machine.cores', String(machine.cores));
  put('machine.load', load === null ? undefined : load.toFixed(2));
  put('machine.python', machine.python ?? undefined);
  put('machine.node', machine.node);

  // cpu: speedups over the same runtime's sequential loop.
  const cpu = (runtime: Row['runtime'], label: string) =>
    findRow(results, 'cpu', 'cpu-primes', runtime, label);
  for (const [key, runtime, label] of [
    ['node.async', 'node', 'async'],
    ['node.threads1', 'node', 'threads ×1'],
    ['node.threads', 'node', `threads ×${machine.cores}`],
    ['node.processes', 'node', `processes ×${machine.cores}`],
    ['python.threads', 'python', `threads ×${machine.cores}`],
    ['python.processes', 'python', `processes ×${machine.cores}`],
  ] as const) {
    const row = cpu(runtime, label);
    if (row?.ratio === undefined) continue;
    put(`cpu.${key}.speedup`, formatSpeedup(row.ratio));
    put(`cpu.${key}.compared`, compareWithOne(row.ratio));
    const fastest = row.details?.speedupOfFastest;
    if (typeof fastest === 'number') {
      put(`cpu.${key}.fastestSpeedup`, formatSpeedup(fastest));
      put(`cpu.${key}.fastestCompared`, compareWithOne(fastest, "the sequential loop's fastest sample"));
    }
    put(`cpu.${key}.median`, duration(row.median));
  }
  put('cpu.node.sequential.median', duration(cpu('node', 'sequential')?.median));
  put('cpu.python.sequential.median', duration(cpu('python', 'sequential')?.median));
  const cpuExperiment = results.suites
    .find((s) => s.id === 'cpu')
    ?.experiments.find((e) => e.id === 'cpu-primes');
  const tasks = cpuExperiment?.params.numbers;
  if (typeof tasks === 'number') put('cpu.tasks', String(tasks));

  // io: one wait is the ideal.
  const ioParams = (id: string) =>
    results.suites.find((s) => s.id === 'io')?.experiments.find((e) => e.id === id)?.params;
  for (const [key, id] of [
    ['few', 'io-few'],
    ['many', 'io-many'],
  ] as const) {
    const params = ioParams(id);
    if (typeof params?.requests === 'number') put(`io.${key}.requests`, formatNumber(params.requests, 0));
    if (typeof params?.delayMs === 'number') put(`io.${key}.delay`, formatDuration(params.delayMs));
  }
  for (const [key, experiment, label] of [
    ['few.sequential', 'io-few', 'sequential'],
    ['few.threads', 'io-few', 'threads'],
    ['few.async', 'io-few', 'async'],
    ['many.async', 'io-many', 'async'],
  ] as const) {
    put(`io.${key}.node`, duration(median('io', experiment, 'node', label)));
    put(`io.${key}.python`, duration(median('io', experiment, 'python', label)));
    const ratio = findRow(results, 'io', experiment, 'node', label)?.ratio;
    if (ratio !== undefined) put(`io.${key}.node.ratio`, formatSpeedup(ratio));
  }

  // startup: a fresh pool's first result; a warm pool's round trip.
  for (const [key, runtime, label] of [
    ['node.async', 'node', 'async'],
    ['node.threads', 'node', 'threads'],
    ['node.processes', 'node', 'processes'],
    ['python.threads', 'python', 'threads'],
    ['python.fork', 'python', 'processes (fork)'],
    ['python.forkserver', 'python', 'processes (forkserver)'],
    ['python.spawn', 'python', 'processes (spawn)'],
  ] as const) {
    put(`startup.${key}`, duration(median('startup', 'startup-first-result', runtime, label)));
  }
  for (const [key, runtime, label] of [
    ['node.threads', 'node', 'threads'],
    ['node.processes', 'node', 'processes'],
    ['python.threads', 'python', 'threads'],
    ['python.processes', 'python', 'processes'],
  ] as const) {
    put(`roundTrip.${key}`, duration(median('startup', 'startup-round-trip', runtime, label)));
  }
  // Why Python's process pool scales less than Node's here: not its start-up (outside the timing),
  // and not its round trips, which this sums over the cpu suite's tasks.
  const pythonTrip = median('startup', 'startup-round-trip', 'python', 'processes');
  const pythonProcesses = cpu('python', `processes ×${machine.cores}`);
  if (pythonTrip !== undefined && typeof tasks === 'number' && pythonProcesses) {
    const total = pythonTrip * tasks;
    put('cpu.python.processes.roundTrips', formatDuration(total));
    put('cpu.python.processes.roundTripShare', `${formatNumber((100 * total) / pythonProcesses.median)} %`);
    const apart = separatelyMeasured(results).some((suite) => suite.id === 'startup');
    put(
      'cpu.python.processes.roundTripCaveat',
      apart
        ? ' (the round trip was measured in a separate run, on another CPU: only its order of magnitude counts here)'
        : '',
    );
  }

  // payload: the cost of sending data to a worker.
  for (const size of ['1 KB', '64 KB', '1 MB', '10 MB', '50 MB']) {
    for (const way of ['threads copy', 'threads transfer', 'processes copy']) {
      put(
        `payload.${way}.${size}`,
        duration(median('payload', 'payload-to-worker', 'node', `${way} ${size}`)),
      );
    }
    put(
      `payload.python pickle.${size}`,
      duration(median('payload', 'payload-to-worker', 'python', `processes pickle ${size}`)),
    );
  }

  // memory: per unit of concurrency.
  put('memory.node.promise', bytes(median('memory', 'memory-async-task', 'node', 'async function')));
  put('memory.node.asyncTask', bytes(median('memory', 'memory-async-task', 'node', '@forkroad/async task')));
  put('memory.python.coroutine', bytes(median('memory', 'memory-async-task', 'python', 'asyncio task')));
  put('memory.node.thread', bytes(median('memory', 'memory-thread', 'node', 'worker thread')));
  put('memory.python.thread', bytes(median('memory', 'memory-thread', 'python', 'thread')));
  const virtual = findRow(results, 'memory', 'memory-thread', 'python', 'thread')?.details?.virtualPerUnit;
  if (typeof virtual === 'number') put('memory.python.threadVirtual', formatBytes(virtual));
  put('memory.node.process', bytes(median('memory', 'memory-process', 'node', 'child process')));
  put('memory.python.process', bytes(median('memory', 'memory-process', 'python', 'child process')));
  for (const runtime of ['node', 'python'] as const) {
    const pss = findRow(results, 'memory', 'memory-process', runtime, 'child process')?.details?.pssPerUnit;
    if (typeof pss === 'number') put(`memory.${runtime}.processPss`, formatBytes(pss));
  }
  return facts;
}
