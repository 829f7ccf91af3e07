/** Examples of errors and faults: error fidelity, crashes (guarantee 5), serialization (guarantee 6). */
import { describe, expect, it } from 'vitest';
import { SerializationError, WorkerCrashedError } from '../../errors.js';
import { rejection } from '../helpers.js';
import type { ConformanceSubject, Make } from '../subject.js';

export function describeErrorExamples(make: Make, subject: ConformanceSubject): void {
  const faults = subject.faults ?? {};
  describe('errors', () => {
    it("errors: a task's error keeps its name, message, stack, code, own properties and cause", async () => {
      await using pool = make({ concurrency: 1 });
      const error = await rejection(pool.submit('failWithDetails', ['email']));
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe('invalid email');
      expect(error.code).toBe('E_INVALID');
      expect(error.details).toEqual({ field: 'email' });
      expect(error.stack).toContain('failWithDetails');
      expect(error.cause).toBeInstanceOf(RangeError);
      expect(error.cause.message).toBe('out of range');
      const plain = await rejection(pool.submit('fail', ['plain', { code: 'E_PLAIN', errno: -2 }]));
      expect(plain).toMatchObject({ name: 'Error', message: 'plain', code: 'E_PLAIN', errno: -2 });
    });

    if (faults.crash) {
      it('guarantee 5: a worker that exits fails only its task, with WorkerCrashedError, and is replaced', async () => {
        await using pool = make({ concurrency: 2 });
        const neighbour = pool.submit('sleep', [300, 'survived']);
        const error = await rejection(pool.submit('exitWorker', [3]));
        expect(error).toBeInstanceOf(WorkerCrashedError);
        expect(error.name).toBe('WorkerCrashedError');
        expect(error.exitCode).toBe(3);
        expect(await neighbour).toBe('survived');
        expect(await pool.submit('echo', ['after'])).toBe('after');
      });

      it('guarantee 5: an uncaught exception in a callback fails only the running task', async () => {
        await using pool = make({ concurrency: 1 });
        const error = await rejection(pool.submit('throwInCallback', []));
        expect(error).toBeInstanceOf(WorkerCrashedError);
        expect(String(error.message)).toContain('thrown in a callback');
        expect(await pool.submit('addOne', [1])).toBe(2);
      });
    }

    if (faults.outOfMemory) {
      const limits = faults.outOfMemory;
      it('guarantee 5: a worker that runs out of memory fails only its task, and is replaced', async () => {
        await using pool = make({ concurrency: 1, ...limits });
        expect(await rejection(pool.submit('exhaustMemory', []))).toBeInstanceOf(WorkerCrashedError);
        expect(await pool.submit('addOne', [41])).toBe(42);
      });
    }

    if (faults.serialization) {
      it('guarantee 6: an argument or result that cannot be cloned rejects with SerializationError, harming nothing', async () => {
        await using pool = make({ concurrency: 1 });
        const badArgument = await rejection(pool.submit('echo', [() => 1]));
        expect(badArgument).toBeInstanceOf(SerializationError);
        const badResult = await rejection(pool.submit('unclonableResult', []));
        expect(badResult).toBeInstanceOf(SerializationError);
        expect(await pool.submit('echo', [{ still: 'fine' }])).toEqual({ still: 'fine' });
      });
    }
  });
}
