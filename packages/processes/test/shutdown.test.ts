/**
 * After shutdown every worker process has exited. map's batching and shutdown while busy are tested
 * for both runtimes in packages/worker-pool/test/map-and-shutdown.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const pools: Executor<Tasks>[] = [];
function pool(): Executor<Tasks> {
  const executor = createExecutor<Tasks>(tasksUrl, { concurrency: 2 });
  pools.push(executor);
  return executor;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((executor) => executor.shutdown({ cancelPending: true })));
});

describe('@forkroad/processes: shutdown', () => {
  it('once shutdown resolves, every worker process has exited', async () => {
    const executor = pool();
    const pids = await Promise.all([executor.submit('slowPid', [200]), executor.submit('slowPid', [200])]);
    expect(new Set(pids).size).toBe(2);
    expect(pids.filter(alive)).toEqual(pids);
    await executor.shutdown();
    expect(pids.filter(alive)).toEqual([]);
  }, 30_000);
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
