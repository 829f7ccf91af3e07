/**
 * What distribution adds to the contract, tested against a real Redis and two host processes:
 * hosts killed mid-task, Redis killed and restarted empty, cancels and timeouts that stop the work
 * on the host, values that travel with structured-clone semantics, shutdown while busy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rejection, sleep, within } from '@forkroad/executor/conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelledError,
  createExecutor,
  type DistributedExecutor,
  ExecutorClosedError,
  JobLostError,
  SerializationError,
  TimeoutError,
} from '../dist/index.js';
import { type RedisServer, startRedisServer } from '../dist/redis-server.js';
import { type HostProcess, startHostProcess } from './support/host-process.js';
import { eventually } from './support/wait.js';

type Tasks = typeof import('./fixtures/tasks.mjs');
const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);

let redis: RedisServer;
let hosts: HostProcess[] = [];
const executors: DistributedExecutor<Tasks>[] = [];

/** Both hosts serve `shared`; only the first serves `solo`, where placement is known. */
const sharedQueues = { shared: [tasksUrl, 2] as [URL, number] };
const queuesOfHost = [{ ...sharedQueues, solo: [tasksUrl, 1] as [URL, number] }, sharedQueues];
const startHost = (index: number) => startHostProcess(redis.url, queuesOfHost[index]!);

/** Kills host `victim` (SIGKILL) and starts a new one in its place, serving the same queues. */
async function replace(victim: HostProcess): Promise<void> {
  const index = hosts.indexOf(victim);
  await victim.kill();
  hosts[index] = await startHost(index);
}

function executor(queue: 'shared' | 'solo', options: { concurrency?: number; timeout?: number } = {}) {
  const pool = createExecutor<Tasks>(tasksUrl, { connection: redis.url, queue, concurrency: 4, ...options });
  executors.push(pool);
  return pool;
}

beforeAll(async () => {
  redis = await startRedisServer();
  hosts = await Promise.all([startHost(0), startHost(1)]);
}, 60_000);

afterEach(async () => {
  await Promise.all(
    executors.splice(0).map((pool) => within(20_000, pool.shutdown({ cancelPending: true }), 'shutdown')),
  );
});

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  await redis?.stop();
});

/** The pids of a process's children, from each process's parent in /proc/<pid>/stat (Linux). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // It exited meanwhile.
    }
  }
  return children;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The host process now running a task, from the fleet view. */
async function hostRunningATask(pool: DistributedExecutor<Tasks>): Promise<HostProcess> {
  // A host killed a moment ago still shows until its heartbeat expires: only live ones count.
  return eventually(10_000, 'a host running the task', async () => {
    const busy = (await pool.fleet()).hosts.filter((info) => info.running > 0).map((info) => info.pid);
    return hosts.find((host) => busy.includes(host.pid));
  });
}

describe('@forkroad/distributed: faults', { timeout: 60_000 }, () => {
  it('a host killed mid-task: the task runs again on the other host, and the re-run is counted', async () => {
    const pool = executor('shared');
    const result = pool.submit('work', [1_500, 'survives']);
    const victim = await hostRunningATask(pool);
    const killedAt = performance.now();
    await victim.kill();
    const { value, pid } = await within(20_000, result, 'the task on the surviving host');
    const recoveryMs = performance.now() - killedAt;
    expect(value).toBe('survives');
    expect(pid).not.toBe(victim.pid);
    expect((await pool.fleet()).reruns).toBe(1);
    // 2 s to notice (lock 1.5 s + stall check every 0.5 s), plus its 1.5 s again; generous under load.
    expect(recoveryMs).toBeLessThan(15_000);
    const fleet = await eventually(10_000, 'the dead host leaving the fleet', async () => {
      const now = await pool.fleet();
      return now.hosts.length === 1 ? now : undefined;
    });
    expect(fleet.hosts[0]!.pid).not.toBe(victim.pid);
    await replace(victim);
  });

  it('Redis killed and restarted empty: every pending task settles with a named error or its result, and the executor goes on', async () => {
    const pool = executor('shared', { concurrency: 2 });
    await pool.submit('echo', [0]);
    const pending = [1, 2, 3, 4, 5].map((i) =>
      pool.submit('work', [2_000, i]).then(
        (result) => result.value,
        (error: Error) => error,
      ),
    );
    await sleep(300);
    await redis.kill();
    await sleep(300);
    await redis.start();
    const outcomes = await within(30_000, Promise.all(pending), 'every pending task settling');
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(JobLostError);
      else expect(outcome).toBe(i + 1);
    }
    // The two that were in Redis are lost; the three waiting here run on the new server.
    expect(outcomes.filter((o) => o instanceof JobLostError).length).toBeGreaterThanOrEqual(1);
    expect(await within(20_000, pool.submit('echo', ['again']), 'a task after the restart')).toBe('again');
    const fleet = await eventually(10_000, 'both hosts back in the fleet view', async () => {
      const now = await pool.fleet();
      return now.hosts.length === 2 ? now : undefined;
    });
    expect(fleet.hosts).toHaveLength(2);
  });

  it('the producer cancels a running task: the caller has the reason at once, and the host stops it', async () => {
    const pool = executor('shared');
    const controller = new AbortController();
    const reason = new Error('changed my mind');
    const cooperative = pool.submit('cooperative', [60_000], { signal: controller.signal });
    const stuck = pool.submit('spin', [60_000], { signal: controller.signal });
    await eventually(10_000, 'both running', async () => (pool.stats().running === 2 ? true : undefined));
    await sleep(200);
    controller.abort(reason);
    expect(await rejection(cooperative)).toBe(reason);
    expect(await rejection(stuck)).toBe(reason);
    // The slots free only once the hosts have stopped the tasks (the spinning one by replacing its worker).
    await eventually(10_000, 'the hosts stopping both tasks', async () =>
      pool.stats().running === 0 ? true : undefined,
    );
    // The fleet view lags by up to one heartbeat (1 s).
    await eventually(10_000, 'the fleet view showing idle hosts', async () =>
      (await pool.fleet()).hosts.every((host) => host.running === 0) ? true : undefined,
    );
    expect(pool.stats()).toMatchObject({ cancelled: 2, running: 0 });
  });

  it('a timeout answers at once and stops the work on the host, even a stuck loop', async () => {
    const pool = executor('shared');
    const started = performance.now();
    expect(await rejection(pool.submit('spin', [60_000], { timeout: 300 }))).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(5_000);
    await eventually(10_000, 'the host stopping the task', async () =>
      pool.stats().running === 0 ? true : undefined,
    );
    expect(await pool.submit('echo', ['next'])).toBe('next');
  });

  it('on one host: a cooperative task past its timeout keeps its worker; a stuck one has it replaced', async () => {
    const pool = executor('solo', { concurrency: 1 });
    const before = await pool.submit('identity', []);
    expect(await rejection(pool.submit('cooperative', [60_000], { timeout: 100 }))).toBeInstanceOf(
      TimeoutError,
    );
    expect(await within(10_000, pool.submit('identity', []), 'the next task')).toBe(before);
    expect(await rejection(pool.submit('spin', [60_000], { timeout: 100 }))).toBeInstanceOf(TimeoutError);
    expect(await within(10_000, pool.submit('identity', []), 'a task after the stuck one')).not.toBe(before);
  });

  it('values travel with structured-clone semantics; what cannot travel rejects with SerializationError', async () => {
    const pool = executor('shared');
    const value = {
      missing: undefined,
      nan: Number.NaN,
      big: 12345678901234567890n,
      when: new Date(0),
      map: new Map<unknown, unknown>([[1, new Set(['a'])]]),
      bytes: new Uint8Array([1, 2, 3]),
      nested: [null, -0, Number.POSITIVE_INFINITY],
    };
    expect(await pool.submit('echo', [value])).toEqual(value);
    const badArgument = await rejection(pool.submit('echo', [() => 1]));
    expect(badArgument).toBeInstanceOf(SerializationError);
    expect(pool.stats().failed).toBe(1);
    expect(await rejection(pool.submit('unclonable', []))).toBeInstanceOf(SerializationError);
    const squares: number[] = [];
    for await (const n of pool.map('square', [1, 2, 3, 4, 5], { chunkSize: 2 })) squares.push(n);
    expect(squares).toEqual([1, 4, 9, 16, 25]);
  });

  it('shutdown while busy: running and queued tasks finish, then new work is refused and connections close', async () => {
    const pool = executor('shared', { concurrency: 2 });
    const tasks = [1, 2, 3, 4].map((i) => pool.submit('work', [300, i]));
    await sleep(50);
    await within(20_000, pool.shutdown(), 'shutdown');
    expect((await Promise.all(tasks)).map((r) => r.value)).toEqual([1, 2, 3, 4]);
    expect(await rejection(pool.submit('echo', [1]))).toBeInstanceOf(ExecutorClosedError);
    const cancelling = executor('shared', { concurrency: 1 });
    const running = cancelling.submit('work', [300, 'ran']);
    const queued = rejection(cancelling.submit('echo', ['never']));
    await within(20_000, cancelling.shutdown({ cancelPending: true }), 'shutdown with cancelPending');
    expect((await running).value).toBe('ran');
    expect(await queued).toBeInstanceOf(CancelledError);
  });

  it('a host on child processes: when it is killed, its workers die with it', async () => {
    const host = await startHostProcess(redis.url, { children: [tasksUrl, 2, 'processes'] });
    try {
      const pool = createExecutor<Tasks>(tasksUrl, {
        connection: redis.url,
        queue: 'children',
        concurrency: 2,
      });
      executors.push(pool);
      const controller = new AbortController();
      const pending = [1, 2].map((i) =>
        rejection(pool.submit('work', [60_000, i], { signal: controller.signal })),
      );
      const workers = await eventually(20_000, 'two worker processes running tasks', async () => {
        const children = childrenOf(host.pid);
        return (await pool.fleet()).hosts.some((h) => h.running === 2) && children.length >= 2
          ? children
          : undefined;
      });
      await host.kill();
      await eventually(10_000, "the killed host's worker processes exiting", async () =>
        workers.every((pid) => !isAlive(pid)) ? true : undefined,
      );
      // No host serves the queue now: a cancel still frees the slots once the dead host's locks expire.
      controller.abort(new Error('no longer needed'));
      for (const error of await Promise.all(pending)) expect(error.message).toBe('no longer needed');
      await eventually(10_000, 'the slots freed', async () =>
        pool.stats().running === 0 ? true : undefined,
      );
    } finally {
      await host.kill();
    }
  });

  it('at least once: with a host killed and restarted during a run, every task settles, correct', async () => {
    const pool = executor('shared', { concurrency: 8 });
    const inputs = Array.from({ length: 300 }, (_, i) => i);
    const results = Promise.all(inputs.map((i) => pool.submit('work', [10, i])));
    await sleep(400);
    await replace(hosts[1]!);
    const values = (await within(40_000, results, 'every task')).map((r) => r.value);
    expect(values).toEqual(inputs);
    const { reruns } = await pool.fleet();
    expect(reruns).toBeGreaterThanOrEqual(0);
    expect(reruns).toBeLessThanOrEqual(8);
  });
});
