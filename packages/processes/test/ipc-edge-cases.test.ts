/**
 * Edge cases of carrying work to child processes over Node's IPC (regression tests for bugs found
 * while writing the examples of issue 3):
 *
 * 1. An argument that a MessagePort can clone but Node's 'advanced' IPC serializer cannot
 *    (SharedArrayBuffer, Blob, KeyObject, …) went through tinypool's in-process MessagePort and
 *    then threw inside tinypool's port listener at `process.send`: an uncaught exception in the
 *    parent, and a task — and its slot — that never settled (a Blob arrived as `{}`).
 * 2. `transfer`, meaningless for processes, detached the caller's ArrayBuffer for nothing.
 * 3. A worker busy with a task outlived a parent that died (SIGKILL, a crash), running on as an
 *    orphan until its task ended.
 * 4. Tasks travel as JSON, except values JSON would change, which travel as v8 bytes.
 */
import { Blob } from 'node:buffer';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor, SerializationError } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const pools: Executor<Tasks>[] = [];
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

function pool(): Executor<Tasks> {
  const executor = createExecutor<Tasks>(tasksUrl, { concurrency: 1 });
  pools.push(executor);
  process.prependListener('uncaughtException', onUncaught);
  return executor;
}

afterEach(async () => {
  process.removeListener('uncaughtException', onUncaught);
  uncaught.length = 0;
  // A wedged pool never finishes shutting down: do not wait for it forever.
  const closing = Promise.all(pools.splice(0).map((executor) => executor.shutdown({ cancelPending: true })));
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 2_000))]);
});

type Outcome =
  | { status: 'fulfilled'; value: unknown }
  | { status: 'rejected'; reason: unknown }
  | { status: 'pending' };

/** How `promise` settled within `ms`, or that it had not. */
function within(ms: number, promise: Promise<unknown>): Promise<Outcome> {
  return Promise.race([
    promise.then(
      (value): Outcome => ({ status: 'fulfilled', value }),
      (reason): Outcome => ({ status: 'rejected', reason }),
    ),
    new Promise<Outcome>((resolve) => setTimeout(() => resolve({ status: 'pending' }), ms)),
  ]);
}

describe('@forkroad/processes: IPC edge cases', () => {
  for (const [what, make] of [
    ['a SharedArrayBuffer', () => new SharedArrayBuffer(8)],
    ['a Blob', () => new Blob(['forkroad'])],
  ] as const) {
    it(`an argument IPC cannot carry (${what}) rejects with SerializationError; the parent and the pool are unharmed`, async () => {
      const executor = pool();
      const outcome = await within(5_000, executor.submit('byteLength', [make() as never]));
      expect(outcome.status).toBe('rejected');
      expect((outcome as { reason: unknown }).reason).toBeInstanceOf(SerializationError);
      expect(uncaught).toEqual([]);
      expect(await within(5_000, executor.submit('addOne', [1]))).toEqual({ status: 'fulfilled', value: 2 });
    }, 20_000);
  }

  it('the same in a map batch: the map ends with SerializationError, the pool goes on', async () => {
    const executor = pool();
    const inputs = [new ArrayBuffer(1), new ArrayBuffer(2), new SharedArrayBuffer(3), new ArrayBuffer(4)];
    const results: number[] = [];
    const run = (async () => {
      for await (const size of executor.map('byteLength', inputs, { chunkSize: 2 })) results.push(size);
    })();
    const outcome = await within(5_000, run);
    expect(outcome.status).toBe('rejected');
    expect((outcome as { reason: unknown }).reason).toBeInstanceOf(SerializationError);
    expect(uncaught).toEqual([]);
    expect(await within(5_000, executor.submit('addOne', [1]))).toEqual({ status: 'fulfilled', value: 2 });
  }, 20_000);

  it('values JSON would change come back exactly, both ways: NaN, -0, bigint, holes, Date, Map, nested', async () => {
    const executor = pool();
    const values = [
      Number.NaN,
      -0,
      Number.NEGATIVE_INFINITY,
      12345678901234567890n,
      [1, undefined, 3],
      [-0, Number.NaN],
      new Date(0),
      new Map<unknown, unknown>([[1, { deep: [new Set(['a'])] }]]),
      { nested: { list: [undefined, null], when: new Date(1) } },
      new Uint8Array([1, 2, 3]),
    ];
    for (const value of values) expect(await executor.submit('echo', [value])).toStrictEqual(value);
  });

  it('`transfer` is ignored: the ArrayBuffer listed stays usable in the parent', async () => {
    const executor = pool();
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    expect(await executor.submit('byteLength', [buffer], { transfer: [buffer] })).toBe(3);
    expect(buffer.byteLength).toBe(3);
  });

  it('a worker busy with a task exits when its parent dies', async () => {
    const child = spawn(process.execPath, ['abandon.mjs'], {
      cwd: fileURLToPath(new URL('./fixtures/', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The worker pids, then (from the worker, through the parent) `busy <pid>` once the long task runs.
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/^busy \d+$/m.test(out)) resolve(out.split('\n')[0]!);
      });
      child.on('exit', () => reject(new Error(`abandon.mjs exited early: ${out}`)));
    });
    const pids = JSON.parse(line) as number[];
    child.kill('SIGKILL');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const orphans = pids.filter(alive);
    for (const pid of orphans) process.kill(pid, 'SIGKILL');
    expect(orphans).toEqual([]);
  }, 30_000);
});
