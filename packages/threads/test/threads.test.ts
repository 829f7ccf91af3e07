/**
 * What only the worker_threads backend does: transfer lists, SharedArrayBuffer, resourceLimits,
 * isolateWorkers, idleTimeout, and TypeScript task modules. Examples, not timings: every bound
 * here is generous.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor, WorkerCrashedError } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

const pools: Executor<Tasks>[] = [];
function pool(options: Parameters<typeof createExecutor>[1] = {}): Executor<Tasks> {
  const executor = createExecutor<Tasks>(tasksUrl, { concurrency: 2, ...options });
  pools.push(executor);
  return executor;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((executor) => executor.shutdown({ cancelPending: true })));
});

/** Resolves when `port` reports that its other end (held by a worker) is gone, or rejects after `ms`. */
function closed(port: MessagePort, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`port not closed within ${ms} ms`)), ms);
    port.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('@forkroad/threads: transfer lists and shared memory', () => {
  it('a transferred ArrayBuffer moves to the worker and is detached in the parent', async () => {
    const executor = pool();
    const buffer = new Uint8Array([1, 2, 3, 4, 5]).buffer;
    const result = await executor.submit('sumBytes', [buffer], { transfer: [buffer] });
    expect(result).toEqual({ byteLength: 5, sum: 15 });
    expect(buffer.byteLength).toBe(0);
  });

  it('without a transfer list the ArrayBuffer is copied and stays usable', async () => {
    const executor = pool();
    const buffer = new Uint8Array([10, 20]).buffer;
    expect(await executor.submit('sumBytes', [buffer])).toEqual({ byteLength: 2, sum: 30 });
    expect(buffer.byteLength).toBe(2);
  });

  it('a SharedArrayBuffer is shared, not copied: worker and parent see each other’s writes while the task runs', async () => {
    const executor = pool();
    const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    const cells = new Int32Array(shared);
    const answer = executor.submit('handshake', [shared]);
    // The worker writes 42 into cell 1 and then blocks until we write cell 0.
    const deadline = Date.now() + 15_000;
    while (Atomics.load(cells, 1) !== 42) {
      if (Date.now() > deadline) throw new Error('the worker never wrote to the shared memory');
      await sleep(5);
    }
    Atomics.store(cells, 2, 21);
    Atomics.store(cells, 0, 1);
    Atomics.notify(cells, 0);
    expect(await answer).toBe(42);
  });
});

describe('@forkroad/threads: options', () => {
  it('resourceLimits: a worker over its heap limit fails only its task with WorkerCrashedError; the pool goes on', async () => {
    const executor = pool({ resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
    const neighbour = executor.submit('sleep', [300, 'survived']);
    const error = await executor.submit('exhaustMemory', []).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as WorkerCrashedError).cause).toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
    expect(await neighbour).toBe('survived');
    expect(await executor.submit('addOne', [41])).toBe(42);
    expect(executor.stats()).toMatchObject({ completed: 2, failed: 1, running: 0, queued: 0 });
  }, 30_000);

  it('isolateWorkers: every task gets a fresh worker', async () => {
    const executor = pool({ isolateWorkers: true });
    const identities: string[] = [];
    for (let i = 0; i < 4; i++) identities.push(await executor.submit('identity', []));
    expect(new Set(identities).size).toBe(4);
    const concurrent = await Promise.all([1, 2, 3, 4].map(() => executor.submit('identity', [])));
    expect(new Set([...identities, ...concurrent]).size).toBe(8);
  }, 30_000);

  it('without isolateWorkers a worker serves task after task', async () => {
    const executor = pool({ concurrency: 1 });
    const first = await executor.submit('identity', []);
    await sleep(200);
    expect(await executor.submit('identity', [])).toBe(first);
  });

  it('idleTimeout: an idle worker exits, and the next task starts a new one', async () => {
    const executor = pool({ concurrency: 1, idleTimeout: 100 });
    const { port1, port2 } = new MessageChannel();
    const gone = closed(port1, 10_000);
    const firstThread = await executor.submit('holdPort', [port2, 0], { transfer: [port2] });
    await gone; // the worker that held port2 has exited on its own
    const second = await executor.submit('identity', []);
    expect(second.endsWith(`:${firstThread}`)).toBe(false);
    expect(await executor.submit('addOne', [1])).toBe(2);
  }, 20_000);
});

/** Runs `node [...nodeArgs] script` in the fixtures directory; resolves with its parsed last stdout line. */
function runNode(nodeArgs: string[], script: string): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...nodeArgs, script],
      { cwd: fixtures, timeout: 60_000 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1);
        if (!line) return reject(error ?? new Error(`no output; stderr: ${stderr}`));
        try {
          resolve(JSON.parse(line));
        } catch {
          reject(new Error(`unexpected output: ${stdout}\nstderr: ${stderr}`));
        }
      },
    );
  });
}

describe('@forkroad/threads: TypeScript task modules', () => {
  const expected = [
    { shape: 'square', area: 9 },
    { shape: 'circle', area: 3.14 },
  ];

  it('load in every worker when the parent preloads a module that registers tsx in each thread', async () => {
    const output = await runNode(['--import', './register-tsx.mjs'], 'run-ts-tasks.mjs');
    expect(output).toMatchObject({ ok: true, isMainThread: true, results: expected });
    // Two workers ran the TypeScript module, neither of them the main thread (threadId 0).
    expect(output.results.every((r: { threadId: number }) => r.threadId > 0)).toBe(true);
  }, 60_000);

  it('`node --import tsx` alone: works only where Node hands module hooks to worker threads; otherwise a clear load error', async () => {
    const output = await runNode(['--import', 'tsx'], 'run-ts-tasks.mjs');
    if (output.ok) {
      expect(output.results).toMatchObject(expected);
      return;
    }
    // Node 20 (and 22 before 22.22.3): tsx registers its hooks in the main thread only (tsx#354).
    expect(Number(process.versions.node.split('.')[0])).toBeLessThan(24);
    expect(output.message).toMatch(/could not load task module .*tasks\.ts/);
    expect(output.message).toMatch(/Unknown file extension "\.ts"/);
  }, 60_000);
});
