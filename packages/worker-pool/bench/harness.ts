/**
 * The benchmark harness of @forkroad/threads and @forkroad/processes (the two copies,
 * packages/threads/bench/harness.ts and packages/processes/bench/harness.ts, are kept identical;
 * each package's compare.ts says what runs).
 *
 * Four measurements, every contestant with 2 workers, in one process:
 *  1. tiny tasks (`x => x + 1`): N through each pool's one-call API, all submitted at once and
 *     awaited with Promise.all; and forkroad's `map` with `chunkSize: 'auto'` over 10 N inputs;
 *  2. CPU: 24 primality checks by trial division, sequential in this thread vs each pool;
 *  3. start-up to first result: create a pool, run one task, await it (fresh pools);
 * each after an untimed warm-up, repeated with the contestants' order rotated, a full GC before
 * each timed run; median and min–max, and throughput ratios as the median over repetitions of the
 * ratio within one repetition (the machine drifts less in seconds than in minutes); CPU speedups
 * as the ratio of medians (and of best runs). Each suite's heading
 * shows the 1-minute load average before and after it: on a busy machine, read the ratios.
 *
 *   compare.ts [--quick] [--reps N] [--only tiny,cpu,startup] [--json <file>]
 *
 * Why the re-launch below: `tsx bench/compare.ts` puts tsx's loader in process.execArgv, which
 * every worker thread and child process inherits; it would load esbuild in each worker and
 * triple every start-up time. So compare.ts re-runs itself with a preload that registers tsx in
 * this one thread only, and the workers start as they would under plain `node`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type TaskName = 'addOne' | 'isPrime';

/** A pool, behind the few calls the benchmark makes. */
export interface Pool {
  call(name: TaskName, arg: number): Promise<unknown>;
  /** forkroad only: `map(name, inputs, { chunkSize: 'auto' })`. */
  map?(name: TaskName, inputs: Iterable<number>): AsyncIterable<unknown>;
  close(): Promise<void>;
}

export interface Contestant {
  id: string;
  /** e.g. 'piscina 5.3.2'. */
  label: string;
  create(): Pool;
}

export interface BenchConfig {
  /** The package measured, e.g. '@forkroad/threads'. */
  subject: string;
  /** What a worker is, for the header: 'worker threads' or 'child processes'. */
  workers: string;
  forkroad: Contestant;
  peers: Contestant[];
  /** The peer whose throughput the targets name, and that throughput (tasks/s, idle machine). */
  reference: { id: string; tasksPerSecond: number };
  /** How many tiny tasks go through each pool's one-call API per run (map gets ten times as many). */
  tinyTasks: number;
}

/** The primality numbers of the guide, six of them, four times over: 24 checks. */
export const primeInputs: number[] = Array.from({ length: 4 }, () => [
  112272535095293, 112582705942171, 115280095190773, 115797848077099, 1099726899285419, 115280095190773,
]).flat();

export const workerCount = 2;

const suites = ['tiny', 'cpu', 'startup'] as const;
type Suite = (typeof suites)[number];

interface Args {
  quick: boolean;
  reps: number;
  json: string | null;
  /** The suites to run (--only tiny,cpu); all by default. */
  only: Set<Suite>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, reps: 7, json: null, only: new Set(suites) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--quick') {
      args.quick = true;
      args.reps = 3;
    } else if (arg === '--reps') {
      args.reps = Number(argv[++i]);
      if (!Number.isInteger(args.reps) || args.reps < 1) throw new Error('--reps takes a positive integer');
    } else if (arg === '--json') {
      const file = argv[++i];
      if (file === undefined || file.startsWith('--')) throw new Error('--json takes a file name');
      args.json = file;
    } else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',');
      if (!names.every((name): name is Suite => (suites as readonly string[]).includes(name))) {
        throw new Error(`--only takes a comma-separated list of ${suites.join(', ')}`);
      }
      args.only = new Set(names);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        `usage: compare.ts [--quick] [--reps N] [--only ${suites.join(',')}] [--json <file>]\n`,
      );
      process.exit(0);
    } else {
      throw new Error(`unknown argument '${arg}' (try --help)`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Running outside tsx's shadow

const childMarker = 'FORKROAD_BENCH_CHILD';

/**
 * Under tsx, runs `script` again in a child whose workers will not load tsx, and returns true
 * (the caller then stops); returns false in that child, or when not under tsx.
 */
export async function relaunchWithoutTsxInWorkers(script: URL): Promise<boolean> {
  const underTsx = process.execArgv.some((arg) => arg.includes('tsx'));
  if (process.env[childMarker] || !underTsx) return false;
  const preload = new URL('./tsx-main-thread.mjs', import.meta.url).href;
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', preload, fileURLToPath(script), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, [childMarker]: '1', FORKROAD_BENCH_TSX: '1' } },
  );
  const code = await new Promise<number>((resolve) => {
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  process.exitCode = code;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Measuring

let collect: (() => void) | null = null;

/** A full GC, so that one contestant's garbage is not collected on the next one's time. */
function fullGc(): void {
  if (collect === null) {
    if (typeof globalThis.gc !== 'function') {
      setFlagsFromString('--expose-gc');
      globalThis.gc = runInNewContext('gc') as NodeJS.GCFunction;
    }
    collect = globalThis.gc as () => void;
  }
  collect();
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, i) => value / b[i]!));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export interface Row {
  id: string;
  label: string;
  /** One per repetition, in repetition order: tasks/s (tiny), ms (CPU, start-up). */
  samples: number[];
  median: number;
  min: number;
  max: number;
}

function row(id: string, label: string, samples: number[]): Row {
  return {
    id,
    label,
    samples,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/** A timed run: returns its duration in ms after checking what it computed. */
type Run = () => Promise<number>;

async function timed(work: () => Promise<void>): Promise<number> {
  fullGc();
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function check(what: string, got: number, expected: number): void {
  if (got !== expected) throw new Error(`${what}: got ${got}, expected ${expected}`);
}

/** Runs each of `runs` `reps` times, rotating the order; returns the samples by index. */
async function rotate(runs: Run[], reps: number, progress: (rep: number) => void): Promise<number[][]> {
  const samples: number[][] = runs.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < runs.length; i++) {
      const k = (i + rep) % runs.length;
      samples[k]!.push(await runs[k]!());
    }
    progress(rep);
  }
  return samples;
}

function tinySubmit(pool: Pool, n: number): Run {
  return () => {
    let sum = 0;
    return timed(async () => {
      const results = await Promise.all(range(n).map((i) => pool.call('addOne', i)));
      for (const value of results) sum += value as number;
    }).then((ms) => {
      check('sum of submit results', sum, (n * (n + 1)) / 2);
      return ms;
    });
  };
}

function tinyMap(pool: Pool, n: number): Run {
  return () => {
    let sum = 0;
    let expected = 1;
    let inOrder = true;
    return timed(async () => {
      for await (const value of pool.map!('addOne', range(n))) {
        if (value !== expected++) inOrder = false;
        sum += value as number;
      }
    }).then((ms) => {
      check('sum of map results', sum, (n * (n + 1)) / 2);
      if (!inOrder) throw new Error('map results out of order');
      return ms;
    });
  };
}

function cpuRun(call: (n: number) => Promise<unknown> | unknown, expectedPrimes: number): Run {
  return () => {
    let primes = 0;
    return timed(async () => {
      const results = await Promise.all(primeInputs.map((n) => call(n)));
      primes = results.filter(Boolean).length;
    }).then((ms) => {
      check('primes found', primes, expectedPrimes);
      return ms;
    });
  };
}

async function startup(contestant: Contestant): Promise<number> {
  fullGc();
  const started = performance.now();
  const pool = contestant.create();
  check(`${contestant.id} first result`, (await pool.call('addOne', 41)) as number, 42);
  const ms = performance.now() - started;
  await pool.close();
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Reporting

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()} (${os.release()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

function loadAverage(): number[] {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

/** The version of a package this benchmark's package depends on. */
export function versionOf(name: string, from: string | URL): string {
  const url = new URL(`../node_modules/${name}/package.json`, from);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function rate(tasksPerSecond: number): string {
  return tasksPerSecond >= 1e6
    ? `${(tasksPerSecond / 1e6).toFixed(2)}M`
    : `${(tasksPerSecond / 1e3).toFixed(1)}k`;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function ratio(value: number): string {
  return value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(2)}×`;
}

function table(rows: string[][], align: ('l' | 'r')[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((cells) => cells[col]!.length)));
  return rows
    .map((cells) =>
      `  ${cells.map((cell, col) => (align[col] === 'r' ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join('   ')}`.trimEnd(),
    )
    .join('\n');
}

interface Target {
  description: string;
  measured: string;
  met: boolean;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

interface TinyResult {
  rows: Row[];
}

interface CpuResult {
  rows: Row[];
  primes: number;
  speedups: Map<string, number>;
}

interface Context {
  config: BenchConfig;
  args: Args;
  everyone: Contestant[];
  pools: Map<string, Pool>;
  out: NodeJS.WriteStream;
  progress: (line: string) => void;
}

function suiteLoad(): string {
  return `load average ${loadAverage()[0]}`;
}

async function tinySuite({ config, args, everyone, pools, out, progress }: Context): Promise<TinyResult> {
  const nTiny = config.tinyTasks;
  const nMap = 10 * nTiny;
  const forkroad = pools.get(config.forkroad.id)!;
  const loadAtStart = suiteLoad();
  progress('tiny tasks: warm-up');
  for (const c of everyone) await tinySubmit(pools.get(c.id)!, Math.min(nTiny, 5_000))();
  await tinyMap(forkroad, Math.min(nMap, 50_000))();
  const tinyRuns: Run[] = [tinySubmit(forkroad, nTiny), tinyMap(forkroad, nMap)];
  for (const peer of config.peers) tinyRuns.push(tinySubmit(pools.get(peer.id)!, nTiny));
  const tinyMs = await rotate(tinyRuns, args.reps, (rep) =>
    progress(`tiny tasks: repetition ${rep + 1}/${args.reps}`),
  );
  const tinyCounts = [nTiny, nMap, ...config.peers.map(() => nTiny)];
  const tinyRates = tinyMs.map((samples, i) => samples.map((t) => tinyCounts[i]! / (t / 1000)));
  const rows = [
    row('forkroad-submit', `${config.forkroad.label} submit`, tinyRates[0]!),
    row('forkroad-map', `${config.forkroad.label} map, chunkSize 'auto'`, tinyRates[1]!),
    ...config.peers.map((peer, i) => row(peer.id, peer.label, tinyRates[i + 2]!)),
  ];
  const cells = [['contestant', 'tasks/s', '[min – max]', ...config.peers.map((p) => `vs ${p.id}`)]];
  for (const r of rows) {
    cells.push([
      r.label,
      rate(r.median),
      `[${rate(r.min)} – ${rate(r.max)}]`,
      ...config.peers.map((peer) => {
        const other = rows.find((t) => t.id === peer.id)!;
        return r === other ? '' : ratio(pairedRatio(r.samples, other.samples));
      }),
    ]);
  }
  out.write(
    `Tiny tasks (x => x + 1): ${nTiny.toLocaleString('en-US')} calls submitted at once and awaited together ` +
      `(forkroad submit, piscina/tinypool run, workerpool exec);\n` +
      `map: ${nMap.toLocaleString('en-US')} inputs, pulled lazily, results in order. ` +
      `${loadAtStart} → ${loadAverage()[0]}\n` +
      `${table(cells, ['l', 'r', 'l', ...config.peers.map(() => 'r' as const)])}\n\n`,
  );
  return { rows };
}

async function cpuSuite({ args, everyone, pools, out, progress }: Context): Promise<CpuResult> {
  const { isPrime } = (await import(new URL('./tasks.mjs', import.meta.url).href)) as {
    isPrime(n: number): boolean;
  };
  const primes = primeInputs.filter((n) => isPrime(n)).length;
  const loadAtStart = suiteLoad();
  progress('cpu: warm-up');
  for (const c of everyone) {
    await Promise.all(primeInputs.slice(0, 2).map((n) => pools.get(c.id)!.call('isPrime', n)));
  }
  const cpuRuns: Run[] = [cpuRun(isPrime, primes)];
  for (const c of everyone) cpuRuns.push(cpuRun((n) => pools.get(c.id)!.call('isPrime', n), primes));
  const cpuMs = await rotate(cpuRuns, args.reps, (rep) =>
    progress(`cpu: repetition ${rep + 1}/${args.reps}`),
  );
  const rows = [
    row('sequential', 'sequential (this thread)', cpuMs[0]!),
    ...everyone.map((c, i) => row(c.id, c.label, cpuMs[i + 1]!)),
  ];
  // Speedup from medians (and from the best runs, which only noise can slow down): a paired ratio
  // would divide two runs a second apart, each as noisy as the other.
  const seq = rows[0]!;
  const speedups = new Map(rows.map((r) => [r.id, seq.median / r.median]));
  const cells = [['contestant', 'ms', '[min – max]', 'speedup', 'best ÷ best']];
  for (const r of rows) {
    cells.push([
      r.label,
      ms(r.median),
      `[${ms(r.min)} – ${ms(r.max)}]`,
      ratio(speedups.get(r.id)!),
      ratio(seq.min / r.min),
    ]);
  }
  out.write(
    `CPU-bound: 24 primality checks by trial division (6 numbers × 4), ${primes} of them prime; ` +
      `speedup = median sequential time ÷ median pool time. ${loadAtStart} → ${loadAverage()[0]}\n` +
      `${table(cells, ['l', 'r', 'l', 'r', 'r'])}\n\n`,
  );
  return { rows, primes, speedups };
}

async function startupSuite({ args, everyone, out, progress }: Context): Promise<Row[]> {
  const reps = args.quick ? 5 : 9;
  const loadAtStart = suiteLoad();
  progress('start-up: warm-up');
  for (const c of everyone) await startup(c);
  const startupMs = await rotate(
    everyone.map((c) => () => startup(c)),
    reps,
    (rep) => progress(`start-up: repetition ${rep + 1}/${reps}`),
  );
  const rows = everyone.map((c, i) => row(c.id, c.label, startupMs[i]!));
  const cells = [['contestant', 'ms', '[min – max]', 'vs forkroad']];
  for (const r of rows) {
    cells.push([
      r.label,
      ms(r.median),
      `[${ms(r.min)} – ${ms(r.max)}]`,
      ratio(pairedRatio(r.samples, rows[0]!.samples)),
    ]);
  }
  out.write(
    `Start-up to first result: create a pool, run one task, await it; ${reps} fresh pools each. ` +
      `${loadAtStart} → ${loadAverage()[0]}\n${table(cells, ['l', 'r', 'l', 'r'])}\n\n`,
  );
  return rows;
}

function targetsOf(config: BenchConfig, tiny: TinyResult | null, cpu: CpuResult | null): Target[] {
  const targets: Target[] = [];
  const refRate = config.reference.tasksPerSecond;
  if (tiny) {
    const reference = tiny.rows.find((r) => r.id === config.reference.id)!;
    const [submit, mapRow] = tiny.rows as [Row, Row];
    const submitRatio = pairedRatio(submit.samples, reference.samples);
    const mapRatio = pairedRatio(mapRow.samples, reference.samples);
    targets.push(
      {
        description: `submit ≥ ${rate(refRate)} tasks/s (${config.reference.id} on an idle machine)`,
        measured: rate(submit.median),
        met: submit.median >= refRate,
      },
      {
        description: `submit ≥ ${config.reference.id} in this run`,
        measured: ratio(submitRatio),
        met: submitRatio >= 1,
      },
      {
        description: `map 'auto' ≥ 5 × ${rate(refRate)} = ${rate(5 * refRate)} tasks/s`,
        measured: rate(mapRow.median),
        met: mapRow.median >= 5 * refRate,
      },
      {
        description: `map 'auto' ≥ 5 × ${config.reference.id} submit in this run`,
        measured: ratio(mapRatio),
        met: mapRatio >= 5,
      },
    );
  }
  if (cpu) {
    const speedup = cpu.speedups.get(config.forkroad.id)!;
    targets.push({
      description: `CPU speedup ≥ 1.95 on ${workerCount} workers`,
      measured: ratio(speedup),
      met: speedup >= 1.95,
    });
  }
  return targets;
}

export async function runBench(config: BenchConfig): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const out = process.stdout;
  const progress = (line: string) => process.stderr.write(`  ${line}\n`);
  const started = new Date();
  const loadBefore = loadAverage();
  const host = machine();
  const everyone = [config.forkroad, ...config.peers];

  out.write(
    `${config.subject} vs ${config.peers.map((p) => p.label).join(', ')}: ${workerCount} ${config.workers} each\n`,
  );
  out.write(
    `Node ${host.node} · ${host.platform} · ${host.cpu} · ${host.cores} cores · ${host.memoryGB} GB · ` +
      `load average ${loadBefore.join(' ')} at start · ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC\n`,
  );
  out.write(
    `${args.reps} repetitions after a warm-up, order rotated each repetition, full GC before each run; ` +
      'median [min – max].\nThroughput ratios: median over repetitions of the ratio within one repetition.\n',
  );
  const slowStart = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'].filter((name) => process.env[name]);
  if (config.workers === 'child processes' && slowStart.length > 0) {
    out.write(
      `Set in the environment, and paid by every worker process at start: ${slowStart.join(', ')}.\n`,
    );
  }
  out.write('\n');

  // The pools of the tiny and CPU suites live through both; the start-up suite makes its own.
  const needsPools = args.only.has('tiny') || args.only.has('cpu');
  const pools = new Map(needsPools ? everyone.map((c) => [c.id, c.create()] as const) : []);
  const context: Context = { config, args, everyone, pools, out, progress };
  const tiny = args.only.has('tiny') ? await tinySuite(context) : null;
  const cpu = args.only.has('cpu') ? await cpuSuite(context) : null;
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  const start = args.only.has('startup') ? await startupSuite(context) : null;

  const targets = targetsOf(config, tiny, cpu);
  const loadAfter = loadAverage();
  if (targets.length > 0) {
    out.write(
      `Targets (issue 3; the absolute ones were set on an idle machine; load average now ${loadAfter.join(' ')})\n`,
    );
    for (const target of targets) {
      out.write(`  ${target.met ? 'met    ' : 'NOT MET'}  ${target.description}: ${target.measured}\n`);
    }
  }

  if (args.json) {
    const report = {
      subject: config.subject,
      date: started.toISOString(),
      machine: { ...host, loadAverageAtStart: loadBefore, loadAverageAtEnd: loadAfter },
      contestants: everyone.map((c) => ({ id: c.id, label: c.label })),
      workers: workerCount,
      reps: args.reps,
      quick: args.quick,
      tiny: tiny && {
        tasks: config.tinyTasks,
        mapInputs: 10 * config.tinyTasks,
        unit: 'tasks per second',
        rows: tiny.rows,
      },
      cpu: cpu && {
        inputs: primeInputs,
        primes: cpu.primes,
        unit: 'ms',
        rows: cpu.rows,
        speedups: Object.fromEntries(cpu.speedups),
      },
      startup: start && { unit: 'ms', rows: start },
      targets,
    };
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    out.write(`\nraw numbers written to ${args.json}\n`);
  }
}
