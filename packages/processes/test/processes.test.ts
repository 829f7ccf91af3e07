/**
 * What only the child_process backend does: the workers' environment, execArgv (heap limits,
 * TypeScript through tsx), output that reaches the parent, death by signal, error fidelity across
 * processes, isolateWorkers. Examples, not timings: every bound here is generous.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor, type ProcessesOptions, WorkerCrashedError } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

const pools: Executor<any>[] = [];
function pool<M = Tasks>(options: ProcessesOptions = {}, module: URL = tasksUrl): Executor<M> {
  const executor = createExecutor<M>(module, { concurrency: 2, ...options });
  pools.push(executor);
  return executor;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((executor) => executor.shutdown({ cancelPending: true })));
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

describe('@forkroad/processes: environment and execArgv', () => {
  it("workers inherit this process's environment by default", async () => {
    const name = `FORKROAD_TEST_${randomUUID().replaceAll('-', '_')}`;
    process.env[name] = 'from the parent';
    try {
      const executor = pool();
      expect(await executor.submit('env', [name])).toBe('from the parent');
    } finally {
      delete process.env[name];
    }
  });

  it('`env` replaces the environment instead of adding to it', async () => {
    const name = `FORKROAD_TEST_${randomUUID().replaceAll('-', '_')}`;
    process.env[name] = 'from the parent';
    try {
      const executor = pool({ env: { FORKROAD_ONLY: 'this one' } });
      expect(await executor.submit('env', ['FORKROAD_ONLY'])).toBe('this one');
      expect(await executor.submit('env', [name])).toBeUndefined();
      // tinypool adds its worker number; nothing else comes along.
      expect(await executor.submit('envNames', [])).toEqual(['FORKROAD_ONLY', 'TINYPOOL_WORKER_ID']);
    } finally {
      delete process.env[name];
    }
  });

  it('`execArgv` starts the workers with those Node options (a smaller heap here)', async () => {
    const small = pool({ concurrency: 1, execArgv: ['--max-old-space-size=64'] });
    const info = await small.submit('runtimeInfo', []);
    expect(info.execArgv).toEqual(['--max-old-space-size=64']);
    // V8 adds the young generation to the 64 MiB: 112 MiB in all on Node 20 and 22, 256 on Node 24.
    expect(info.heapSizeLimit).toBeLessThanOrEqual(256 * 2 ** 20);
    const usual = pool({ concurrency: 1, execArgv: [] });
    expect((await usual.submit('runtimeInfo', [])).heapSizeLimit).toBeGreaterThan(info.heapSizeLimit);
  }, 20_000);

  it("`execArgv: ['--import', 'tsx']` loads a task module written in TypeScript", async () => {
    type TsTasks = typeof import('./fixtures/tasks.js');
    const executor = pool<TsTasks>(
      { execArgv: ['--import', 'tsx'] },
      new URL('./fixtures/tasks.ts', import.meta.url),
    );
    const [square, circle] = await Promise.all([
      executor.submit('area', ['square', 3]),
      executor.submit('area', ['circle', 1]),
    ]);
    expect(square).toMatchObject({ shape: 'square', area: 9 });
    expect(circle).toMatchObject({ shape: 'circle', area: 3.14 });
    expect(square.pid).not.toBe(process.pid);
  }, 30_000);
});

describe('@forkroad/processes: output, crashes and errors', () => {
  it("a worker's stdout and stderr reach the parent's, all of it, before shutdown resolves", async () => {
    const tag = randomUUID();
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['speak.mjs', tag, '5000'],
        { cwd: fixtures, timeout: 60_000, maxBuffer: 64 * 2 ** 20 },
        (error, out, err) =>
          error ? reject(Object.assign(error, { stderr: err })) : resolve({ stdout: out, stderr: err }),
      );
    });
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines.at(-1)!) as { parentPid: number; workerPid: number; answer: string };
    expect(summary.answer).toBe(tag);
    expect(summary.workerPid).not.toBe(summary.parentPid);
    const fromWorker = lines.filter((line) =>
      line.startsWith(`stdout from worker ${summary.workerPid}: ${tag} #`),
    );
    expect(fromWorker).toHaveLength(5000);
    expect(fromWorker.at(-1)).toBe(`stdout from worker ${summary.workerPid}: ${tag} #4999`);
    expect(stderr).toContain(`stderr from worker ${summary.workerPid}: ${tag}`);
  }, 60_000);

  it('a worker killed with SIGKILL fails its task with WorkerCrashedError (signal SIGKILL) and is replaced', async () => {
    const executor = pool();
    const neighbour = executor.submit('sleep', [300, 'survived']);
    const error = await executor.submit('killSelf', []).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ name: 'WorkerCrashedError', signal: 'SIGKILL', exitCode: null });
    expect((error as Error).message).toMatch(/SIGKILL/);
    expect(await neighbour).toBe('survived');
    expect(await executor.submit('addOne', [1])).toBe(2);
  }, 20_000);

  it('an error keeps its name, message, stack, code, own properties and its cause chain', async () => {
    const executor = pool();
    const error = (await executor.submit('failWithCause', ['users']).catch((e: unknown) => e)) as Error & {
      code: string;
      retryable: boolean;
      cause: Error & { code: string; errno: number };
    };
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'DatabaseError',
      message: 'cannot write to users',
      code: 'E_DB_LOCKED',
      retryable: true,
    });
    expect(error.stack).toMatch(/DatabaseError: cannot write to users\n\s+at failWithCause/);
    expect(error.stack).toContain('tasks.mjs');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).toMatchObject({
      message: "EBUSY: resource busy, open 'users.db'",
      code: 'EBUSY',
      errno: -16,
    });
  });

  it('isolateWorkers: every task runs in a fresh process, and the used ones are gone', async () => {
    const executor = pool({ isolateWorkers: true });
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) pids.push(await executor.submit('pid', []));
    pids.push(...(await Promise.all([executor.submit('slowPid', [50]), executor.submit('slowPid', [50])])));
    expect(new Set(pids).size).toBe(5);
    expect(pids).not.toContain(process.pid);
    await executor.shutdown();
    expect(pids.filter(alive)).toEqual([]);
  }, 30_000);
});
