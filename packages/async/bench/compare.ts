/**
 * forkroad/async against p-limit, p-map and p-queue.
 *
 *   pnpm --filter @forkroad/async bench [--quick] [--reps N] [--json results.json]
 *
 * (a) 100,000 synchronous no-op tasks at concurrency 16, 100 and 1,000: the cost of scheduling a
 *     task and nothing else. Runs in this process, before anything here runs an async-function
 *     task, so promise hooks are off (see child.ts).
 * (b) 10,000 tasks that await setTimeout(0), and 100,000 async-function no-ops, at concurrency 100,
 *     in one child process where promise hooks are on for every contestant.
 * (c) Peak RSS growth of 100,000 no-op tasks through forkroad's map and through p-map at
 *     concurrency 100, each run in a fresh child process (peak RSS is per process).
 *
 * Every suite: an untimed warm-up run per contestant, then repetitions with the contestants' order
 * rotated, a minor GC before each run (see harness.ts); median and min–max over repetitions. The machine may be
 * shared and noisy: read the ratios, which compare runs made seconds apart.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RssResult, RssSpec } from './child.js';
import type { ContestantId } from './contestants.js';
import { measureSuite, median, pairedRatio, type SuiteResult, type SuiteSpec } from './harness.js';

interface Args {
  reps: number;
  quick: boolean;
  json: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { reps: 7, quick: false, json: null };
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
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: compare.ts [--quick] [--reps N] [--json <file>]\n');
      process.exit(0);
    } else {
      throw new Error(`unknown argument '${arg}' (try --help)`);
    }
  }
  return args;
}

const all: ContestantId[] = ['forkroad-submit', 'forkroad-map', 'p-limit', 'p-map', 'p-queue'];
const rssContestants: ContestantId[] = ['forkroad-map', 'p-map'];
const rssSpec = { task: 'noop', n: 100_000, concurrency: 100 } as const;

function throughputSuites(reps: number): SuiteSpec[] {
  return [16, 100, 1000].map((concurrency) => ({
    key: `noop-c${concurrency}`,
    title: '100,000 no-op tasks (function noop() {})',
    task: 'noop',
    n: 100_000,
    concurrency,
    contestants: all,
    reps,
    warmupN: 20_000,
  }));
}

function hookSuites(reps: number): SuiteSpec[] {
  return [
    {
      key: 'tick-c100',
      title: '10,000 tasks that await setTimeout(0)',
      task: 'tick',
      n: 10_000,
      concurrency: 100,
      contestants: all,
      reps,
      warmupN: 2_000,
    },
    {
      key: 'asyncNoop-c100',
      title: '100,000 async no-op tasks (async function asyncNoop() {})',
      task: 'asyncNoop',
      n: 100_000,
      concurrency: 100,
      contestants: all,
      reps,
      warmupN: 20_000,
    },
  ];
}

const childPath = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Runs child.ts in a fresh process with this process's loader (tsx) and an exposed GC. */
function runChild<T>(mode: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(childPath, [mode, JSON.stringify(payload)], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: { value: T } | null = null;
    child.on('message', (message) => {
      result = { value: message as T };
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result && code === 0) resolve(result.value);
      else
        reject(new Error(`bench child (${mode}) exited with ${signal ?? `code ${code}`} before reporting`));
    });
  });
}

interface RssSummary {
  id: ContestantId;
  /** Peak RSS growth per run, bytes. */
  samples: number[];
  median: number;
  min: number;
  max: number;
  runs: RssResult[];
}

async function measureRss(reps: number, progress: (line: string) => void): Promise<RssSummary[]> {
  const runs = new Map<ContestantId, RssResult[]>(rssContestants.map((id) => [id, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < rssContestants.length; i++) {
      const id = rssContestants[(i + rep) % rssContestants.length]!;
      const spec: RssSpec = { id, ...rssSpec };
      runs.get(id)!.push(await runChild<RssResult>('rss', spec));
    }
    progress(`rss: repetition ${rep + 1}/${reps}`);
  }
  return rssContestants.map((id) => {
    const list = runs.get(id)!;
    const samples = list.map((run) => run.peakGrowth);
    return {
      id,
      samples,
      median: median(samples),
      min: Math.min(...samples),
      max: Math.max(...samples),
      runs: list,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Output

function version(name: string): string {
  const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()} (${os.release()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

function millions(tasksPerSecond: number): string {
  const m = tasksPerSecond / 1e6;
  return m >= 0.1 ? m.toFixed(2) : m.toFixed(3);
}

function ratio(value: number): string {
  return value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(2)}×`;
}

function table(rows: string[][], align: ('l' | 'r')[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      `  ${row.map((cell, col) => (align[col] === 'r' ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join('   ')}`.trimEnd(),
    )
    .join('\n');
}

interface Ratios {
  vsPLimit: number | null;
  vsPMap: number | null;
}

function ratiosOf(suite: SuiteResult, id: ContestantId): Ratios {
  const samples = (other: ContestantId) => suite.results.find((r) => r.id === other)?.samples;
  const mine = samples(id)!;
  const pLimit = samples('p-limit');
  const pMap = samples('p-map');
  return {
    vsPLimit: pLimit ? pairedRatio(mine, pLimit) : null,
    vsPMap: pMap ? pairedRatio(mine, pMap) : null,
  };
}

function throughputTable(suites: SuiteResult[]): string {
  const rows = [
    ['concurrency', 'contestant', 'M tasks/s', '[min – max]', 'vs p-limit', 'vs p-map', 'CPU µs/task'],
  ];
  for (const suite of suites) {
    for (const result of suite.results) {
      const { vsPLimit, vsPMap } = ratiosOf(suite, result.id);
      rows.push([
        suite.concurrency.toLocaleString('en-US'),
        result.label,
        millions(result.median),
        `[${millions(result.min)} – ${millions(result.max)}]`,
        vsPLimit === null ? '' : ratio(vsPLimit),
        vsPMap === null ? '' : ratio(vsPMap),
        result.cpuMedian.toFixed(2),
      ]);
    }
  }
  return table(rows, ['r', 'l', 'r', 'l', 'r', 'r', 'r']);
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function rssTable(rss: RssSummary[]): string {
  const pMap = rss.find((r) => r.id === 'p-map')!;
  const rows = [['contestant', 'MB', '[min – max]', 'vs p-map']];
  for (const result of rss) {
    rows.push([
      result.id === 'forkroad-map' ? 'forkroad map' : result.id,
      mb(result.median),
      `[${mb(result.min)} – ${mb(result.max)}]`,
      ratio(result.median / pMap.median),
    ]);
  }
  return table(rows, ['l', 'r', 'l', 'r']);
}

interface Target {
  description: string;
  measured: string;
  met: boolean;
}

function targets(noop100: SuiteResult, rss: RssSummary[]): Target[] {
  const list: Target[] = [];
  for (const id of ['forkroad-submit', 'forkroad-map'] as const) {
    const label = id === 'forkroad-submit' ? 'forkroad submit' : 'forkroad map';
    const { vsPLimit, vsPMap } = ratiosOf(noop100, id);
    list.push({
      description: `${label} ≥ p-map at concurrency 100`,
      measured: ratio(vsPMap!),
      met: vsPMap! >= 1,
    });
    list.push({
      description: `${label} ≥ 4× p-limit at concurrency 100`,
      measured: ratio(vsPLimit!),
      met: vsPLimit! >= 4,
    });
  }
  const forkroadMap = rss.find((r) => r.id === 'forkroad-map')!;
  const pMap = rss.find((r) => r.id === 'p-map')!;
  list.push({
    description: 'peak RSS growth of map ≤ p-map',
    measured: `${mb(forkroadMap.median)} MB vs ${mb(pMap.median)} MB`,
    met: forkroadMap.median <= pMap.median,
  });
  return list;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const progress = (line: string) => process.stderr.write(`  ${line}\n`);
  const started = new Date();
  const host = machine();
  const versions = {
    'p-limit': version('p-limit'),
    'p-map': version('p-map'),
    'p-queue': version('p-queue'),
  };
  const out = process.stdout;
  out.write(
    `forkroad/async vs p-limit ${versions['p-limit']}, p-map ${versions['p-map']}, p-queue ${versions['p-queue']}\n`,
  );
  out.write(
    `Node ${host.node} · ${host.platform} · ${host.cpu} · ${host.cores} cores · ${host.memoryGB} GB · ` +
      `load ${host.loadAverage.join(' ')} · ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC\n`,
  );
  out.write(
    `${args.reps} repetitions after a warm-up; order rotated each repetition; minor GC before each run.\n` +
      'Throughput: million tasks/s (wall clock), median [min – max]. Ratios: of throughput, median over\n' +
      'repetitions of the ratio within one. CPU µs/task: CPU time of the whole process (all threads) per task, median.\n\n',
  );

  // (a) first, in this process, while promise hooks are still off.
  const noop: SuiteResult[] = [];
  for (const spec of throughputSuites(args.reps)) noop.push(await measureSuite(spec, progress));
  out.write(`(a) ${noop[0]!.title}, this process, promise hooks off\n${throughputTable(noop)}\n\n`);

  // (b) in a child process where promise hooks are on for everyone.
  const hooked = await runChild<SuiteResult[]>('suites', hookSuites(args.reps));
  for (const suite of hooked) {
    out.write(`(b) ${suite.title}, a child process, promise hooks on\n${throughputTable([suite])}\n\n`);
  }

  // (c) one fresh process per run.
  const rss = await measureRss(args.reps, progress);
  out.write(
    `(c) peak RSS growth, ${rssSpec.n.toLocaleString('en-US')} no-op tasks at concurrency ${rssSpec.concurrency}, ` +
      `a fresh process per run (p-map returns an array of every result; forkroad's map streams them)\n` +
      `${rssTable(rss)}\n\n`,
  );

  const checks = targets(noop.find((s) => s.concurrency === 100)!, rss);
  out.write('Targets\n');
  for (const check of checks)
    out.write(`  ${check.met ? 'met    ' : 'NOT MET'}  ${check.description}: ${check.measured}\n`);

  if (args.json) {
    const withRatios = (suite: SuiteResult) => ({
      ...suite,
      results: suite.results.map((result) => ({ ...result, ...ratiosOf(suite, result.id) })),
    });
    const report = {
      date: started.toISOString(),
      machine: host,
      versions: { node: process.version, ...versions },
      reps: args.reps,
      quick: args.quick,
      units: { throughput: 'tasks per second', rss: 'bytes' },
      suites: [...noop, ...hooked].map(withRatios),
      rss: { ...rssSpec, results: rss },
      targets: checks,
    };
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    out.write(`\nraw numbers written to ${args.json}\n`);
  }
}

await main();
