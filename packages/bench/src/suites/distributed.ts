/**
 * The distributed backend: a real redis-server on loopback and host processes standing for
 * machines. Tiny tasks through submit and batched map against raw BullMQ in the same run, the
 * guide's primes over 1, 2 and 4 hosts, the time to recover from a host killed mid-task, and
 * 10,000 tasks while hosts are killed and restarted. Skipped (saying how to get it) when no
 * redis-server is installed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createExecutor, type DistributedExecutor, lockSettings } from '@forkroad/distributed';
import { hasRedisServer, type RedisServer, startRedisServer } from '@forkroad/distributed/redis-server';
import { Queue, QueueEvents } from 'bullmq';
import { type Contender, type SuiteContext, type SuiteDefinition, timeContenders } from '../context.js';
import { measuredRow, type RowIdentity, round, setRatios } from '../measure.js';
import * as cpuTasks from '../tasks/cpu.js';
import type * as noopTasks from '../tasks/noop.js';
import type { BenchMode, Experiment, Row, Suite } from '../types.js';
import { CPU_SIZES } from './cpu.js';

const noopModule = new URL('../tasks/noop.js', import.meta.url);
const cpuModule = new URL('../tasks/cpu.js', import.meta.url);

export const DISTRIBUTED_SIZES: Record<
  BenchMode,
  { tiny: number; mapInputs: number; reps: number; primeReps: number; recoveries: number; chaos: number }
> = {
  smoke: { tiny: 100, mapInputs: 2_000, reps: 1, primeReps: 1, recoveries: 1, chaos: 300 },
  quick: { tiny: 1_000, mapInputs: 20_000, reps: 5, primeReps: 2, recoveries: 2, chaos: 10_000 },
  full: { tiny: 3_000, mapInputs: 100_000, reps: 5, primeReps: 3, recoveries: 3, chaos: 10_000 },
};

/** Hosts of the tiny-task experiment, and their workers each (forkroad and raw BullMQ alike). */
const TINY_HOSTS = 2;
const WORKERS_PER_HOST = 2;
/** The largest prime below 2^53: a few hundred ms of trial division, long enough to kill a host in. */
const LONG_PRIME = 9007199254740881;
/** A prime near 10^10 (a fraction of a millisecond), and an odd number beside it, for the chaos run. */
const CHAOS_NUMBERS = [10000000019, 10000000021] as const;
/** How often the chaos run kills a host (and starts another). */
const KILL_EVERY_MS = 1_500;
/** Targets of issue 11. */
const TARGETS = { submitVsRaw: 1.0, mapAutoPerSecond: 50_000, recoveryMs: 3_000 } as const;

// ---------------------------------------------------------------------------------------------
// Machines: a process per host, started from inline code so that the suite stays one file.
// ---------------------------------------------------------------------------------------------

// CommonJS around a dynamic import: --input-type=module would be inherited by the host's workers.
const forkroadHostCode = `(async () => {
const [lib, url, queue, module, concurrency] = process.argv.slice(1);
const { startHost } = await import(lib);
const host = await startHost({ connection: url, queue, module, concurrency: Number(concurrency) });
process.stdout.write('ready\\n');
process.on('SIGTERM', () => host.close().then(() => process.exit(0)));
process.stdin.on('end', () => process.kill(process.pid, 'SIGKILL'));
process.stdin.resume();
})();`;

const rawWorkerCode = `(async () => {
const [lib, url, queue, concurrency] = process.argv.slice(1);
const { Worker } = await import(lib);
const { port, hostname } = new URL(url);
const worker = new Worker(queue, async (job) => job.data.x, {
  connection: { host: hostname, port: Number(port) },
  concurrency: Number(concurrency),
});
await worker.waitUntilReady();
process.stdout.write('ready\\n');
process.on('SIGTERM', () => worker.close().then(() => process.exit(0)));
process.stdin.on('end', () => process.kill(process.pid, 'SIGKILL'));
process.stdin.resume();
})();`;

interface Machine {
  readonly pid: number;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

async function startMachine(code: string, args: string[]): Promise<Machine> {
  // A host reads its stdin only to notice that the bench is gone, and goes too.
  const child: ChildProcess = spawn(process.execPath, ['-e', code, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`a host process exited with ${code} before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve();
    });
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return { pid: child.pid!, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

const forkroadHost = (redis: RedisServer, queue: string, module: URL, concurrency: number) =>
  startMachine(forkroadHostCode, [
    import.meta.resolve('@forkroad/distributed'),
    redis.url,
    queue,
    module.href,
    String(concurrency),
  ]);

const rawWorker = (redis: RedisServer, queue: string) =>
  startMachine(rawWorkerCode, [import.meta.resolve('bullmq'), redis.url, queue, String(WORKERS_PER_HOST)]);

async function startAll(n: number, start: () => Promise<Machine>): Promise<Machine[]> {
  return Promise.all(Array.from({ length: n }, start));
}

const stopAll = (machines: readonly Machine[]) => Promise.all(machines.map((m) => m.stop()));

/** A row of this suite: every one measures the distributed model from Node. */
function distributedRow(label: string, tool: string, details: Record<string, number | string>): RowIdentity {
  return { label, runtime: 'node', model: 'distributed', tool, details };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function targetLine(met: boolean, what: string): string {
  return `target ${met ? 'met' : 'NOT met'}: ${what}`;
}

// ---------------------------------------------------------------------------------------------
// Tiny tasks: forkroad's submit and map against raw BullMQ
// ---------------------------------------------------------------------------------------------

type Pool<M> = DistributedExecutor<M>;

function forkroadTinyContenders(redis: RedisServer, items: number[], mapItems: number[]): Contender[] {
  const shared: { pool: Pool<typeof noopTasks> | null; hosts: Machine[]; users: number } = {
    pool: null,
    hosts: [],
    users: 0,
  };
  const setup = async () => {
    if (shared.users++ > 0) return;
    shared.hosts = await startAll(TINY_HOSTS, () =>
      forkroadHost(redis, 'tiny', noopModule, WORKERS_PER_HOST),
    );
    shared.pool = createExecutor(noopModule, { connection: redis.url, queue: 'tiny' });
  };
  const teardown = async () => {
    if (--shared.users > 0) return;
    await shared.pool?.shutdown();
    await stopAll(shared.hosts);
  };
  const submitAll = async (values: number[]) => {
    const results = await Promise.all(values.map((x) => shared.pool!.submit('noop', [x])));
    if (sum(results) !== sum(values)) throw new Error('forkroad submit: wrong results');
  };
  const tool = '@forkroad/distributed';
  return [
    {
      id: distributedRow('forkroad submit', tool, { n: items.length }),
      setup,
      warmup: () => submitAll(items.slice(0, 200)),
      run: () => submitAll(items),
      teardown,
    },
    {
      id: distributedRow("forkroad map, chunkSize 'auto'", tool, { n: mapItems.length }),
      setup,
      warmup: () => submitAll(items.slice(0, 200)),
      run: async () => {
        let total = 0;
        for await (const r of shared.pool!.map('noop', mapItems, { chunkSize: 'auto' })) total += r;
        if (total !== sum(mapItems)) throw new Error('forkroad map: wrong results');
      },
      teardown,
    },
  ];
}

function rawContenders(redis: RedisServer, items: number[]): Contender[] {
  const shared: { queue: Queue | null; events: QueueEvents | null; workers: Machine[]; users: number } = {
    queue: null,
    events: null,
    workers: [],
    users: 0,
  };
  const { hostname, port } = new URL(redis.url);
  const connection = { host: hostname, port: Number(port) };
  const setup = async () => {
    if (shared.users++ > 0) return;
    shared.workers = await startAll(TINY_HOSTS, () => rawWorker(redis, 'raw'));
    shared.queue = new Queue('raw', { connection });
    // waitUntilFinished adds a listener per waiting job: thousands wait at once here.
    shared.queue.setMaxListeners(0);
    shared.events = new QueueEvents('raw', { connection });
    await shared.events.waitUntilReady();
    // The event stream is read from '$' once its first blocking read is in: give it that moment,
    // or the first completions are never heard of (the result is lost to a waiting caller).
    await new Promise((resolve) => setTimeout(resolve, 500));
  };
  const teardown = async () => {
    if (--shared.users > 0) return;
    await stopAll(shared.workers);
    await shared.queue?.obliterate({ force: true });
    await shared.events?.close();
    await shared.queue?.close();
  };
  const waitAll = async (
    jobs: { waitUntilFinished(events: QueueEvents, ttl: number): Promise<number> }[],
  ) => {
    const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(shared.events!, 60_000)));
    if (sum(results) !== sum(items.slice(0, jobs.length))) throw new Error('raw BullMQ: wrong results');
  };
  const addEach = (values: number[]) =>
    Promise.all(values.map((x) => shared.queue!.add('noop', { x }))).then((jobs) => waitAll(jobs));
  const tool = 'bullmq';
  return [
    {
      id: distributedRow('BullMQ add + waitUntilFinished', tool, { n: items.length }),
      setup,
      warmup: () => addEach(items.slice(0, 200)),
      run: () => addEach(items),
      teardown,
    },
    {
      id: distributedRow('BullMQ addBulk + waitUntilFinished', tool, { n: items.length }),
      setup,
      warmup: () => addEach(items.slice(0, 200)),
      run: async () =>
        waitAll(await shared.queue!.addBulk(items.map((x) => ({ name: 'noop', data: { x } })))),
      teardown,
    },
  ];
}

async function tinyExperiment(ctx: SuiteContext, redis: RedisServer): Promise<Experiment> {
  const { tiny, mapInputs, reps } = DISTRIBUTED_SIZES[ctx.mode];
  const items = Array.from({ length: tiny }, (_, i) => i);
  const mapItems = Array.from({ length: mapInputs }, (_, i) => i);
  const contenders = [...rawContenders(redis, items), ...forkroadTinyContenders(redis, items, mapItems)];
  const samples = await timeContenders(ctx, contenders, reps, (c) => `tiny: ${c.id.label}`);
  const rows = contenders.map((c, i) => {
    const n = Number(c.id.details!.n);
    return measuredRow(
      c.id,
      samples[i]!.map((ms) => n / (ms / 1000)),
      4,
    );
  });
  const baseline = 'BullMQ add + waitUntilFinished';
  setRatios(rows, baseline, (row, base) => row.median / base.median);
  const submit = rows.find((r) => r.label === 'forkroad submit')!;
  const mapAuto = rows.find((r) => r.label.startsWith('forkroad map'))!;
  return {
    id: 'distributed-tiny',
    title: `Tiny tasks through Redis: ${tiny} submits, ${mapInputs} map inputs, ${TINY_HOSTS} hosts`,
    description:
      'A task that returns its input, run by host processes on this machine through a local redis-server: forkroad submit (one job per task, each result read from the producer’s own list) and map with chunkSize: ‘auto’ (many inputs per job), against raw BullMQ (queue.add or addBulk, then job.waitUntilFinished on QueueEvents) with the same number of worker processes and workers each.',
    params: { tasks: tiny, mapInputs, hosts: TINY_HOSTS, workersPerHost: WORKERS_PER_HOST },
    unit: 'tasks/s',
    baseline,
    ratioLabel: '× raw add',
    rows,
    notes: [
      targetLine(
        (submit.ratio ?? 0) >= TARGETS.submitVsRaw,
        `forkroad submit ≥ ${TARGETS.submitVsRaw}× raw BullMQ add + waitUntilFinished: ${round(submit.ratio ?? 0, 3)}×`,
      ),
      targetLine(
        mapAuto.median >= TARGETS.mapAutoPerSecond,
        `map with chunkSize 'auto' ≥ ${TARGETS.mapAutoPerSecond.toLocaleString('en')} inputs/s: ${Math.round(mapAuto.median).toLocaleString('en')}`,
      ),
      'Hosts and Redis share this machine’s cores with the producer: on a real fleet each host has its own.',
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// The guide's primes over 1, 2 and 4 hosts
// ---------------------------------------------------------------------------------------------

async function primesExperiment(ctx: SuiteContext, redis: RedisServer): Promise<Experiment> {
  const { numbers: base, repeat } = CPU_SIZES[ctx.mode];
  const numbers = Array.from({ length: repeat }, () => base).flat();
  const expected = numbers.filter((n) => cpuTasks.isPrime(n)).length;
  const hostCounts = [1, 2, 4];
  const contenders: Contender[] = hostCounts.map((n) => {
    const state: { hosts: Machine[]; pool: Pool<typeof cpuTasks> | null } = { hosts: [], pool: null };
    const check = async (values: readonly number[], want: number) => {
      const results = await Promise.all(values.map((v) => state.pool!.submit('isPrime', [v])));
      if (results.filter(Boolean).length !== want) throw new Error('distributed primes: wrong results');
    };
    return {
      id: distributedRow(`${n} host${n > 1 ? 's' : ''}`, '@forkroad/distributed', {
        hosts: n,
        workersPerHost: 1,
      }),
      setup: async () => {
        state.hosts = await startAll(n, () => forkroadHost(redis, `primes-${n}`, cpuModule, 1));
        state.pool = createExecutor(cpuModule, { connection: redis.url, queue: `primes-${n}` });
      },
      warmup: () => check([1000003, 1000033, 1000037, 999983], 4),
      run: () => check(numbers, expected),
      teardown: async () => {
        await state.pool?.shutdown();
        await stopAll(state.hosts);
      },
    };
  });
  const samples = await timeContenders(
    ctx,
    contenders,
    DISTRIBUTED_SIZES[ctx.mode].primeReps,
    (c) => `primes: ${c.id.label}`,
  );
  const rows: Row[] = contenders.map((c, i) => measuredRow(c.id, samples[i]!));
  setRatios(rows, '1 host', (row, base) => base.median / row.median);
  return {
    id: 'distributed-primes',
    title: `Primality of ${numbers.length} numbers over 1, 2 and 4 hosts`,
    description:
      'The CPU suite’s numbers, one task per number, submitted at once to hosts of one worker each. On one machine the hosts share its cores: the speedup stops at the core count, as it would not on separate machines.',
    params: { numbers: numbers.length, cores: ctx.cores },
    unit: 'ms',
    baseline: '1 host',
    ratioLabel: 'speedup',
    rows,
    notes: [`This machine has ${ctx.cores} cores: more hosts than that cannot go faster here.`],
  };
}

// ---------------------------------------------------------------------------------------------
// Recovery from a host killed mid-task
// ---------------------------------------------------------------------------------------------

/**
 * The host of `hosts` that reports running a task, polling the fleet view (where a host killed a
 * moment ago still shows until its heartbeat expires).
 */
async function hostRunningATask(pool: Pool<unknown>, hosts: readonly Machine[]): Promise<Machine> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    for (const info of (await pool.fleet()).hosts) {
      const host = hosts.find((h) => h.pid === info.pid);
      if (host && info.running > 0) return host;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no host started the task within 30 s');
}

async function recoveryExperiment(ctx: SuiteContext, redis: RedisServer): Promise<Experiment> {
  const { recoveries } = DISTRIBUTED_SIZES[ctx.mode];
  const start = () => forkroadHost(redis, 'recovery', cpuModule, 1);
  let hosts = await startAll(2, start);
  const pool = createExecutor<typeof cpuTasks>(cpuModule, { connection: redis.url, queue: 'recovery' });
  const runMs: number[] = [];
  const recoveryMs: number[] = [];
  let reruns = 0;
  try {
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      if (!(await pool.submit('isPrime', [LONG_PRIME]))) throw new Error('recovery: wrong result');
      runMs.push(performance.now() - started);
    }
    for (let i = 0; i < recoveries; i++) {
      ctx.signal?.throwIfAborted();
      const result = pool.submit('isPrime', [LONG_PRIME]);
      const victim = await hostRunningATask(pool, hosts);
      const killedAt = performance.now();
      await victim.kill();
      if (!(await result)) throw new Error('recovery: wrong result');
      recoveryMs.push(performance.now() - killedAt);
      hosts = [...hosts.filter((h) => h !== victim), await start()];
      ctx.tick('recovery: a host killed mid-task');
    }
    reruns = (await pool.fleet()).reruns;
  } finally {
    await pool.shutdown();
    await stopAll(hosts);
  }
  const taskMs = Math.min(...runMs);
  const id: RowIdentity = distributedRow('killed host → result', '@forkroad/distributed', {
    taskMs: round(taskMs, 3),
    bound: round(TARGETS.recoveryMs + taskMs, 4),
  });
  const row = measuredRow(id, recoveryMs);
  return {
    id: 'distributed-recovery',
    title: 'A host killed (SIGKILL) mid-task: time until the result arrives from another host',
    description: `A task of about ${Math.round(taskMs)} ms on one of two hosts; the host running it is killed as soon as the fleet view shows it busy. Its lock (${lockSettings.lockDuration} ms) expires, a stall check (every ${lockSettings.stalledInterval} ms) puts the job back, and the other host runs it from the start.`,
    params: { recoveries, taskMs: round(taskMs, 3) },
    unit: 'ms',
    rows: [row],
    notes: [
      targetLine(
        row.max <= TARGETS.recoveryMs + taskMs,
        `the task completes on another host within ${TARGETS.recoveryMs} ms plus its own run time (${Math.round(taskMs)} ms): worst ${Math.round(row.max)} ms`,
      ),
      `${reruns} re-runs counted by the producer for ${recoveries} kills.`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// 10,000 tasks with hosts killed and restarted
// ---------------------------------------------------------------------------------------------

async function chaosExperiment(ctx: SuiteContext, redis: RedisServer): Promise<Experiment> {
  const n = DISTRIBUTED_SIZES[ctx.mode].chaos;
  const expectedOf = CHAOS_NUMBERS.map((x) => cpuTasks.isPrime(x));
  const start = () => forkroadHost(redis, 'chaos', cpuModule, WORKERS_PER_HOST);
  let hosts = await startAll(3, start);
  const pool = createExecutor<typeof cpuTasks>(cpuModule, { connection: redis.url, queue: 'chaos' });
  let kills = 0;
  let running = true;
  const chaos = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
      if (!running) break;
      const victim = hosts[kills % hosts.length]!;
      await victim.kill();
      kills++;
      hosts = [...hosts.filter((h) => h !== victim), await start()];
    }
  })();
  const started = performance.now();
  let outcomes: PromiseSettledResult<boolean>[];
  try {
    outcomes = await Promise.allSettled(
      Array.from({ length: n }, (_, i) => pool.submit('isPrime', [CHAOS_NUMBERS[i % 2]!])),
    );
  } finally {
    running = false;
    await chaos;
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  const wrong = outcomes.filter((o, i) => o.status === 'fulfilled' && o.value !== expectedOf[i % 2]).length;
  const { reruns } = await pool.fleet();
  await pool.shutdown();
  await stopAll(hosts);
  ctx.tick('chaos: hosts killed and restarted');
  const row = measuredRow(
    distributedRow('submit, hosts killed and restarted', '@forkroad/distributed', {
      tasks: n,
      kills,
      failed,
      wrong,
      reruns,
    }),
    [n / seconds],
  );
  return {
    id: 'distributed-chaos',
    title: `${n.toLocaleString('en')} tasks while hosts are killed (SIGKILL) and restarted`,
    description: `Three hosts of two workers; every ${KILL_EVERY_MS} ms one of them is killed and a new one started. Each task tests a number near 10¹⁰ for primality; every outcome is checked.`,
    params: { tasks: n, hosts: 3, killEveryMs: KILL_EVERY_MS },
    unit: 'tasks/s',
    rows: [row],
    notes: [
      targetLine(
        failed === 0 && wrong === 0,
        `every promise settles, 0 lost, every result correct: ${failed} failed, ${wrong} wrong of ${n}`,
      ),
      `${kills} hosts killed; ${reruns} tasks ran again after their host died (at-least-once: tasks must be idempotent).`,
    ],
  };
}

export const distributedSuite: SuiteDefinition = {
  id: 'distributed',
  title: 'Beyond one machine: @forkroad/distributed on Redis',
  steps: (ctx) => {
    const s = DISTRIBUTED_SIZES[ctx.mode];
    return 4 * s.reps + 3 * s.primeReps + s.recoveries + 1;
  },
  run: async (ctx): Promise<Suite> => {
    const suite: Suite = { id: 'distributed', title: distributedSuite.title, status: 'ok', experiments: [] };
    if (!ctx.node) return { ...suite, status: 'skipped', note: 'Only Python rows were asked for.' };
    if (!hasRedisServer()) {
      return {
        ...suite,
        status: 'skipped',
        note: 'redis-server was not found: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run again.',
      };
    }
    const redis = await startRedisServer();
    try {
      suite.experiments.push(await tinyExperiment(ctx, redis));
      suite.experiments.push(await primesExperiment(ctx, redis));
      suite.experiments.push(await recoveryExperiment(ctx, redis));
      suite.experiments.push(await chaosExperiment(ctx, redis));
    } finally {
      await redis.stop();
    }
    return suite;
  },
};
