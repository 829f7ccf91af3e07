// Its own file: the warning is said once per thread, so no other test may have triggered it first.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createExecutor, NO_TASK_WARNING, taskSignal } from '../src/index.js';

async function warningsWhile(run: () => Promise<void>): Promise<Error[]> {
  const warnings: Error[] = [];
  const listen = (warning: Error) => warnings.push(warning);
  process.on('warning', listen);
  try {
    await run();
    // process.emitWarning delivers on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  return warnings.filter((w) => (w as { code?: string }).code === NO_TASK_WARNING);
}

describe('@forkroad/async: taskSignal() read where the default does not carry it', () => {
  it('read before the first await it is the task’s, and nothing warns', async () => {
    const tasks = {
      async task(): Promise<boolean> {
        const signal = taskSignal();
        await sleep(30);
        return signal.aborted;
      },
    };
    const warnings = await warningsWhile(async () => {
      await using pool = createExecutor(tasks, { concurrency: 2 });
      await expect(pool.submit('task', [], { timeout: 5 })).rejects.toThrow(/timed out/);
      expect(await pool.submit('task', [])).toBe(false);
    });
    expect(warnings).toEqual([]);
  });

  it('outside any task, with no executor busy, it is a signal that never fires, and nothing warns', async () => {
    const warnings = await warningsWhile(async () => {
      expect(taskSignal().aborted).toBe(false);
    });
    expect(warnings).toEqual([]);
  });

  it('read after an await it never fires, and one warning (for the whole thread) names the fix', async () => {
    const tasks = {
      async task(): Promise<AbortSignal> {
        await sleep(1);
        return taskSignal();
      },
    };
    const signals: AbortSignal[] = [];
    const warnings = await warningsWhile(async () => {
      await using pool = createExecutor(tasks, { concurrency: 2 });
      for (let round = 0; round < 2; round++)
        signals.push(...(await Promise.all([1, 2, 3].map(() => pool.submit('task', [])))));
    });
    expect(signals).toHaveLength(6);
    for (const signal of signals) expect(signal.aborted).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/before the first await.*taskSignalAfterAwait: true/);
  });
});
