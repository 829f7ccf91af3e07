/** Examples of bad input: unknown tasks, modules that fail to load, invalid options, maxQueue. */
import { describe, expect, it } from 'vitest';
import { QueueFullError } from '../../errors.js';
import { rejection } from '../helpers.js';
import { brokenModuleUrl, type ConformanceSubject, conformanceTasksUrl, type Make } from '../subject.js';

export function describeBadInputExamples(make: Make, subject: ConformanceSubject): void {
  describe('bad input', () => {
    it('an unknown task name rejects with an error naming it', async () => {
      await using pool = make({ concurrency: 1 });
      const error = await rejection(pool.submit('noSuchTask' as any, []));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/unknown task 'noSuchTask'/);
      const notFn = await rejection(pool.submit('notAFunction' as any, []));
      expect(notFn.message).toMatch(/'notAFunction' is not a function/);
      expect(await pool.submit('echo', [1])).toBe(1);
    });

    it('errors: a task module that fails to load rejects submit, map and ready() with an Error whose cause says why', async () => {
      // Not a TypeError: the arguments were right; loading the module failed, and `cause` is why
      // (the module's own error, a SyntaxError, ERR_MODULE_NOT_FOUND, …).
      const isLoadFailure = (error: any, why: RegExp) => {
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(TypeError);
        expect(error.name).toBe('Error');
        expect(error.message).toMatch(/^could not load task module /);
        expect(error.message).toMatch(why);
        expect(error.cause).toBeDefined();
      };
      {
        await using pool = subject.createExecutor(brokenModuleUrl, { concurrency: 1 });
        isLoadFailure(await rejection(pool.ready()), /fails while loading/);
        isLoadFailure(await rejection(pool.submit('anything', [])), /fails while loading/);
        isLoadFailure(await rejection(pool.map('anything', [1]).next()), /fails while loading/);
        expect((await rejection(pool.submit('anything', []))).cause.message).toBe(
          'this task module fails while loading',
        );
      }
      await using missing = subject.createExecutor(new URL('./no-such-module.js', conformanceTasksUrl), {
        concurrency: 1,
      });
      const error = await rejection(missing.submit('anything', []));
      isLoadFailure(error, /no-such-module/);
      expect(error.cause.code).toBe('ERR_MODULE_NOT_FOUND');
    });

    it('invalid options throw at once, naming the option', () => {
      for (const concurrency of [0, -1, 1.5, Number.NaN, '2']) {
        expect(() => make({ concurrency: concurrency as number })).toThrow(
          /concurrency must be a positive integer/,
        );
      }
      expect(() => make({ timeout: -5 })).toThrow(/timeout must be a positive number/);
      expect(() => make({ maxQueue: -1 })).toThrow(/maxQueue/);
      expect(() => make({ concurency: 2 } as any)).toThrow(/unknown option 'concurency'/);
      expect(() => subject.createExecutor('relative/tasks.js')).toThrow(/absolute path/);
    });

    it('invalid arguments to submit and map reject, naming the problem', async () => {
      await using pool = make({ concurrency: 1 });
      expect((await rejection(pool.submit('echo', 1 as any))).message).toMatch(/args must be an array/);
      expect((await rejection(pool.submit('echo', [1], { timeout: -1 }))).message).toMatch(/timeout must be/);
      expect(() => pool.map('addOne', 5 as any)).toThrow(/iterable/);
      expect(() => pool.map('addOne', [1], { chunkSize: 0 })).toThrow(/chunkSize/);
    });

    it('maxQueue bounds the queue: submit beyond it rejects with QueueFullError', async () => {
      await using pool = make({ concurrency: 1, maxQueue: 2 });
      const running = pool.submit('sleep', [100, 0]);
      const queued = [pool.submit('echo', [1]), pool.submit('echo', [2])];
      const error = await rejection(pool.submit('echo', [3]));
      expect(error).toBeInstanceOf(QueueFullError);
      expect(error.maxQueue).toBe(2);
      expect(await Promise.all([running, ...queued])).toEqual([0, 1, 2]);
    });
  });
}
