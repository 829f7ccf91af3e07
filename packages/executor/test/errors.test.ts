import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  deserializeError,
  ExecutorClosedError,
  QueueFullError,
  SerializationError,
  serializeError,
  TimeoutError,
  WorkerCrashedError,
} from '../src/index.js';

/** What crossing a thread or process boundary does to plain data. */
const acrossBoundary = (error: unknown) => deserializeError(structuredClone(serializeError(error)));

describe('error classes', () => {
  it('carry their class name as `name`, on the prototype, and keep their details', () => {
    const errors = [
      new TimeoutError(50),
      new CancelledError(),
      new WorkerCrashedError('worker exited with code 3', { exitCode: 3 }),
      new SerializationError('no'),
      new QueueFullError(10),
      new ExecutorClosedError(),
    ];
    for (const error of errors) {
      expect(error.name).toBe(error.constructor.name);
      expect(Object.keys(error)).not.toContain('name');
      expect(error.stack).toMatch(new RegExp(`^${error.name}`));
    }
    expect(new TimeoutError(50).timeout).toBe(50);
    expect(new QueueFullError(10).maxQueue).toBe(10);
    expect(new WorkerCrashedError('x', { signal: 'SIGKILL' })).toMatchObject({
      exitCode: null,
      signal: 'SIGKILL',
    });
  });
});

describe('serializeError / deserializeError', () => {
  it('rebuild the contract classes across a boundary', () => {
    const crashed = acrossBoundary(
      new WorkerCrashedError('gone', { exitCode: 9, signal: null }),
    ) as WorkerCrashedError;
    expect(crashed).toBeInstanceOf(WorkerCrashedError);
    expect(crashed).toMatchObject({ name: 'WorkerCrashedError', message: 'gone', exitCode: 9, signal: null });
    expect(acrossBoundary(new TimeoutError(5))).toBeInstanceOf(TimeoutError);
  });

  it('keep built-in classes, causes, aggregate errors and codes', () => {
    const error = Object.assign(new TypeError('bad', { cause: new RangeError('deep') }), { code: 'E_BAD' });
    const back = acrossBoundary(error) as TypeError & { code: string; cause: RangeError };
    expect(back).toBeInstanceOf(TypeError);
    expect(back.code).toBe('E_BAD');
    expect(back.cause).toBeInstanceOf(RangeError);
    const aggregate = acrossBoundary(
      new AggregateError([new Error('a'), new Error('b')], 'both'),
    ) as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(aggregate.errors.map((e: Error) => e.message)).toEqual(['a', 'b']);
  });

  it('turn uncloneable properties into descriptions instead of failing', () => {
    const error = Object.assign(new Error('with a callback'), { retry: () => 1, tag: Symbol('t') });
    const back = acrossBoundary(error) as Error & { retry: string; tag: string };
    expect(back.retry).toBe('[function retry]');
    expect(back.tag).toBe('Symbol(t)');
  });

  it('pass non-errors through as data', () => {
    expect(acrossBoundary('just a string')).toBe('just a string');
    expect(acrossBoundary({ reason: 42 })).toEqual({ reason: 42 });
    expect(acrossBoundary(undefined)).toBeUndefined();
  });

  it('property: name, message, stack and own enumerable data survive for any error', () => {
    const name = fc.oneof(
      fc.constantFrom('Error', 'TypeError', 'RangeError', 'TimeoutError'),
      fc.string({ minLength: 1 }),
    );
    const props = fc.dictionary(
      fc
        .string({ minLength: 1 })
        .filter((k) => !['name', 'message', 'stack', 'cause', 'errors', '__proto__'].includes(k)),
      fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer())),
    );
    fc.assert(
      fc.property(name, fc.string(), props, (errorName, message, own) => {
        const error = Object.assign(new Error(message), own);
        Object.defineProperty(error, 'name', { value: errorName, configurable: true, writable: true });
        const back = acrossBoundary(error) as Error & Record<string, unknown>;
        expect(back).toBeInstanceOf(Error);
        expect(back.name).toBe(errorName);
        expect(back.message).toBe(message);
        expect(back.stack).toBe(error.stack);
        for (const [key, value] of Object.entries(own)) expect(back[key]).toEqual(value);
      }),
    );
  });
});
