/** Examples of timeouts, aborts and taskSignal (guarantee 4). */
import { describe, expect, it } from 'vitest';
import { TimeoutError, WorkerCrashedError } from '../../errors.js';
import { rejection, sleep, within } from '../helpers.js';
import { type ConformanceSubject, type Make, slowModuleUrl } from '../subject.js';

export function describeTimeoutExamples(make: Make, subject: ConformanceSubject): void {
  const faults = subject.faults ?? {};
  describe('timeouts, aborts and taskSignal', () => {
    it('guarantee 4: a timeout answers the caller at once, and a cooperative task frees its slot without losing its worker', async () => {
      await using pool = make({ concurrency: 1 });
      const before = await pool.submit('workerIdentity', []);
      const started = performance.now();
      const error = await rejection(pool.submit('cooperative', [60_000], { timeout: 50 }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.name).toBe('TimeoutError');
      expect(performance.now() - started).toBeLessThan(5_000);
      const after = await within(5_000, pool.submit('workerIdentity', []), 'the next task');
      expect(after).toBe(before);
    });

    it('guarantee 4: the executor-wide timeout applies to every task, and a per-task timeout overrides it', async () => {
      await using pool = make({ concurrency: 2, timeout: 50 });
      expect(await rejection(pool.submit('cooperative', [60_000]))).toBeInstanceOf(TimeoutError);
      expect(await pool.submit('sleep', [100, 'ok'], { timeout: 10_000 })).toBe('ok');
    });

    it("guarantee 4: an abort rejects with the signal's reason and stops the task", async () => {
      await using pool = make({ concurrency: 1 });
      const controller = new AbortController();
      const reason = new Error('user gave up');
      const promise = pool.submit('cooperative', [60_000], { signal: controller.signal });
      await sleep(20);
      controller.abort(reason);
      expect(await rejection(promise)).toBe(reason);
      expect(await within(5_000, pool.submit('echo', [7]), 'the next task')).toBe(7);
      expect(pool.stats().cancelled).toBe(1);
    });

    it('guarantee 4: aborting a queued task removes it from the queue', async () => {
      await using pool = make({ concurrency: 1 });
      const controller = new AbortController();
      const running = pool.submit('sleep', [100, 'first']);
      const queued = pool.submit('echo', ['never'], { signal: controller.signal });
      expect(pool.stats().queued).toBe(1);
      controller.abort();
      expect((await rejection(queued)).name).toBe('AbortError');
      expect(pool.stats().queued).toBe(0);
      expect(await running).toBe('first');
    });

    it('guarantee 4: an already-aborted signal rejects with its reason and harms nothing', async () => {
      await using pool = make({ concurrency: 1 });
      const reason = new Error('too late');
      expect(await rejection(pool.submit('echo', [1], { signal: AbortSignal.abort(reason) }))).toBe(reason);
      expect(pool.stats()).toEqual({ queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 });
      expect(await pool.submit('echo', [2])).toBe(2);
    });

    if (faults.stuckLoop) {
      it('guarantee 4: a stuck synchronous loop past its timeout has its worker replaced', async () => {
        await using pool = make({ concurrency: 1 });
        const before = await pool.submit('workerIdentity', []);
        const started = performance.now();
        expect(await rejection(pool.submit('spin', [60_000], { timeout: 100 }))).toBeInstanceOf(TimeoutError);
        expect(performance.now() - started).toBeLessThan(5_000);
        const after = await within(10_000, pool.submit('workerIdentity', []), 'a task after the stuck one');
        expect(after).not.toBe(before);
      });
    } else {
      it('guarantee 4: a stuck task keeps its slot until it really settles (it cannot be preempted)', async () => {
        await using pool = make({ concurrency: 1 });
        const started = performance.now();
        expect(await rejection(pool.submit('sleep', [300, 'late'], { timeout: 20 }))).toBeInstanceOf(
          TimeoutError,
        );
        expect(pool.stats().running).toBe(1);
        await pool.submit('echo', [1]);
        expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      });
    }
    it('guarantee 4: a result that comes after its deadline loses to the timeout, even past a blocked event loop', async () => {
      await using pool = make({ concurrency: 2 });
      await pool.ready();
      await Promise.all([pool.submit('echo', [0]), pool.submit('echo', [0])]); // both places ready
      const late = rejection(pool.submit('sleep', [150, 'too late'], { timeout: 75 }));
      // Block this thread from when the first task answers until long after the second's deadline
      // and result: both its timer and its result are then due at once.
      await pool.submit('sleep', [20, 'first']).then(() => {
        const until = performance.now() + 400;
        while (performance.now() < until) {
          // the event loop is blocked
        }
      });
      expect(await late).toBeInstanceOf(TimeoutError);
    });

    it('guarantee 4: a timeout counts from when the task starts running, not from loading the module', async () => {
      await using pool = subject.createExecutor(slowModuleUrl, { concurrency: 1, timeout: 600 });
      // The module takes 1.5 s to load in each new worker; the task itself is instant.
      expect(await pool.submit('echo', ['loaded'])).toBe('loaded');
      if (faults.crash) {
        expect(await rejection(pool.submit('exitWorker', [1]))).toBeInstanceOf(WorkerCrashedError);
        expect(await pool.submit('echo', ['replaced'])).toBe('replaced');
      }
    });
  });
}
