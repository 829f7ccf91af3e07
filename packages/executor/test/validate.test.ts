/**
 * Bad input is refused with an error that names the option, what it must be, and what it got.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveExecutorOptions } from '../src/index.js';
import { coreOver, FakeBackend } from './fake-backend.js';

const resolve = (options: object) => () => resolveExecutorOptions(options, ['idleTimeout'], 'test backend');

describe('resolveExecutorOptions', () => {
  it('fills the defaults', () => {
    expect(resolveExecutorOptions(undefined, [], 'x')).toEqual({
      concurrency: availableParallelism(),
      maxQueue: Infinity,
      timeout: Infinity,
    });
    expect(resolveExecutorOptions({ concurrency: 1, maxQueue: 0, timeout: 0.5 }, [], 'x')).toEqual({
      concurrency: 1,
      maxQueue: 0,
      timeout: 0.5,
    });
    expect(resolveExecutorOptions({ maxQueue: Infinity, timeout: Infinity }, [], 'x')).toMatchObject({
      maxQueue: Infinity,
      timeout: Infinity,
    });
    expect(resolve({ idleTimeout: 5 })).not.toThrow();
  });

  it('names what is wrong, and what it got', () => {
    const cases: [object, ErrorConstructor, string][] = [
      [{ concurrency: 0 }, RangeError, 'concurrency must be a positive integer, got 0'],
      [{ concurrency: -1 }, RangeError, 'concurrency must be a positive integer, got -1'],
      [{ concurrency: 1.5 }, RangeError, 'concurrency must be a positive integer, got 1.5'],
      [{ concurrency: '2' }, RangeError, "concurrency must be a positive integer, got '2'"],
      [{ maxQueue: -1 }, RangeError, 'maxQueue must be a non-negative integer or Infinity, got -1'],
      [{ maxQueue: 0.5 }, RangeError, 'maxQueue must be a non-negative integer or Infinity, got 0.5'],
      [{ maxQueue: 2n }, RangeError, 'maxQueue must be a non-negative integer or Infinity, got 2n'],
      [
        { timeout: 0 },
        RangeError,
        'timeout must be a positive number of milliseconds (or Infinity for none), got 0',
      ],
      [
        { timeout: Number.NaN },
        RangeError,
        'timeout must be a positive number of milliseconds (or Infinity for none), got NaN',
      ],
      [
        { timeout: '5' },
        RangeError,
        "timeout must be a positive number of milliseconds (or Infinity for none), got '5'",
      ],
      [
        { timeout: null },
        RangeError,
        'timeout must be a positive number of milliseconds (or Infinity for none), got null',
      ],
      [
        { timeout: -5 },
        RangeError,
        'timeout must be a positive number of milliseconds (or Infinity for none), got -5',
      ],
      [
        { concurrency: 2, idle: 1 },
        TypeError,
        "test backend: unknown option 'idle' (known options: concurrency, maxQueue, timeout, idleTimeout)",
      ],
    ];
    for (const [options, errorClass, message] of cases) {
      expect(resolve(options)).toThrow(errorClass);
      expect(resolve(options)).toThrow(message);
    }
    expect(() => resolveExecutorOptions(null as unknown as object, [], 'x')).toThrow(
      new TypeError('x: options must be an object, got null'),
    );
    expect(() => resolveExecutorOptions('fast' as unknown as object, [], 'x')).toThrow(
      new TypeError("x: options must be an object, got 'fast'"),
    );
  });
});

describe('what submit and map say about bad input', () => {
  const core = coreOver(new FakeBackend(), { concurrency: 1 });
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: Error) => error,
    );

  it('describes the value it got', async () => {
    const described: [unknown, string][] = [
      [() => 1, 'function (anonymous)'],
      [function named() {}, 'function named'],
      [{ a: 1 }, 'an object'],
      [undefined, 'undefined'],
      [7, '7'],
      [3n, '3n'],
      ['text', "'text'"],
    ];
    for (const [value, description] of described) {
      const error = await rejection(core.submit('t', value as unknown[]));
      expect(error).toEqual(
        new TypeError(`submit('t', args): args must be an array of arguments, got ${description}`),
      );
    }
  });

  it('refuses bad names, signals and options', async () => {
    expect(await rejection(core.submit('', []))).toEqual(
      new TypeError("task name must be a non-empty string (an export of the task module), got ''"),
    );
    expect(await rejection(core.submit(1 as unknown as string, []))).toBeInstanceOf(TypeError);
    expect(await rejection(core.submit('t', [], { signal: {} as AbortSignal }))).toEqual(
      new TypeError('signal must be an AbortSignal, got an object'),
    );
    expect(await rejection(core.submit('t', [], { timeout: -1 }))).toBeInstanceOf(RangeError);
    expect(await rejection(core.submit('t', [], { retries: 1 } as object))).toEqual(
      new TypeError("submit: unknown option 'retries' (known options: signal, timeout, transfer)"),
    );
    const map = (inputs: unknown, options: object) => () => core.map('t', inputs as number[], options);
    expect(map([], { ordered: 'yes' })).toThrow(new TypeError("map: ordered must be a boolean, got 'yes'"));
    expect(map([], { ordered: [] })).toThrow(new TypeError('map: ordered must be a boolean, got an array'));
    expect(map([], { chunkSize: 0 })).toThrow(
      new RangeError("chunkSize (a positive integer or 'auto') must be a positive integer, got 0"),
    );
    expect(map([], { concurrency: 0 })).toThrow(
      new RangeError('concurrency must be a positive integer, got 0'),
    );
    expect(map([], { timeout: 0 })).toThrow(
      new RangeError('timeout must be a positive number of milliseconds (or Infinity for none), got 0'),
    );
    expect(map([], { signal: 'no' })).toThrow(TypeError);
    expect(map([], { window: 2 })).toThrow(
      new TypeError(
        "map: unknown option 'window' (known options: ordered, concurrency, chunkSize, timeout, signal)",
      ),
    );
    expect(map(5, {})).toThrow(
      new TypeError("map('t', inputs): inputs must be an iterable or async iterable, got 5"),
    );
    expect(map(null, {})).toThrow(
      new TypeError("map('t', inputs): inputs must be an iterable or async iterable, got null"),
    );
    expect(map(undefined, {})).toThrow(
      new TypeError("map('t', inputs): inputs must be an iterable or async iterable, got undefined"),
    );
    expect(() => core.map('', [])).toThrow(TypeError);
  });
});
