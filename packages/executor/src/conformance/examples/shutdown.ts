/** Examples of shutdown (guarantee 1 under shutdown). */
import { describe, expect, it } from 'vitest';
import { CancelledError, ExecutorClosedError } from '../../errors.js';
import { rejection } from '../helpers.js';
import type { ConformanceSubject, Make } from '../subject.js';

export function describeShutdownExamples(make: Make, _subject: ConformanceSubject): void {
  describe('shutdown', () => {
    it('guarantee 1: shutdown waits for running and queued work, then refuses new work with ExecutorClosedError', async () => {
      const pool = make({ concurrency: 1 });
      const running = pool.submit('sleep', [100, 'ran']);
      const queued = pool.submit('echo', ['queued ran']);
      await pool.shutdown();
      expect(await running).toBe('ran');
      expect(await queued).toBe('queued ran');
      expect(await rejection(pool.submit('echo', [1]))).toBeInstanceOf(ExecutorClosedError);
      expect(pool.stats()).toMatchObject({ queued: 0, running: 0, completed: 2 });
    });

    it('guarantee 1: shutdown with cancelPending rejects queued work with CancelledError and lets running work finish', async () => {
      const pool = make({ concurrency: 1 });
      const running = pool.submit('sleep', [100, 'ran']);
      const queued = rejection(pool.submit('echo', ['never']));
      await pool.shutdown({ cancelPending: true });
      expect(await running).toBe('ran');
      expect(await queued).toBeInstanceOf(CancelledError);
      expect(pool.stats()).toMatchObject({ completed: 1, cancelled: 1 });
    });

    it('shutdown: Symbol.asyncDispose shuts down, and shutdown is idempotent', async () => {
      const pool = make({ concurrency: 1 });
      const running = pool.submit('sleep', [50, 'ok']);
      await pool[Symbol.asyncDispose]();
      expect(await running).toBe('ok');
      await pool.shutdown();
      await pool.shutdown({ cancelPending: true });
    });
  });
}
