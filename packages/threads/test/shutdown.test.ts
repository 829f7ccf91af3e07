/**
 * After shutdown every worker thread has exited. map's batching and shutdown while busy are tested
 * for both runtimes in packages/worker-pool/test/map-and-shutdown.test.ts.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
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

describe('@forkroad/threads: shutdown', () => {
  it('once shutdown resolves, every worker thread has exited', async () => {
    const executor = pool();
    const channels = [new MessageChannel(), new MessageChannel()];
    // Each worker keeps one end of a channel for its whole life; its exit closes the other end.
    const gone = channels.map(({ port1 }) => closedOrNot(port1));
    const threads = await Promise.all(
      channels.map(({ port2 }) => executor.submit('holdPort', [port2, 200], { transfer: [port2] })),
    );
    expect(new Set(threads).size).toBe(2);
    await executor.shutdown();
    // 'close' is an event: give it a moment to be delivered, not to happen.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gone.map((state) => state.closed)).toEqual([true, true]);
  }, 30_000);
});

function closedOrNot(port: MessagePort): { closed: boolean } {
  const state = { closed: false };
  port.once('close', () => {
    state.closed = true;
  });
  return state;
}
