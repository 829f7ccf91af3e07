import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  deserializeError,
  ExecutorClosedError,
  isSerializedError,
  QueueFullError,
  SerializationError,
  type SerializedError,
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

describe('error classes, in detail', () => {
  it('have default messages that say what happened', () => {
    expect(new TimeoutError(250).message).toBe('task timed out after 250 ms');
    expect(new TimeoutError(250, 'custom').message).toBe('custom');
    expect(new CancelledError().message).toBe('task was cancelled');
    expect(new QueueFullError(3).message).toBe('queue is full: 3 task(s) already waiting (maxQueue)');
    expect(new ExecutorClosedError().message).toBe('executor is shut down: it accepts no new tasks');
    expect(new ExecutorClosedError('closing').message).toBe('closing');
  });

  it('keep a cause only when one is given', () => {
    const cause = new Error('why');
    expect(new WorkerCrashedError('x', { cause }).cause).toBe(cause);
    expect('cause' in new WorkerCrashedError('x', { exitCode: 1 })).toBe(false);
    expect('cause' in new WorkerCrashedError('x')).toBe(false);
    expect(new WorkerCrashedError('x')).toMatchObject({ exitCode: null, signal: null });
    expect(new SerializationError('s', { cause }).cause).toBe(cause);
  });

  it('define `name` on the prototype as TypeError does: writable, configurable, not enumerable', () => {
    const builtin = Object.getOwnPropertyDescriptor(TypeError.prototype, 'name');
    for (const errorClass of [
      TimeoutError,
      CancelledError,
      WorkerCrashedError,
      SerializationError,
      QueueFullError,
      ExecutorClosedError,
    ]) {
      expect(Object.getOwnPropertyDescriptor(errorClass.prototype, 'name')).toEqual({
        ...builtin,
        value: errorClass.name,
      });
    }
    const renamed = new CancelledError();
    renamed.name = 'Renamed';
    expect(renamed.name).toBe('Renamed');
  });
});

describe('serializeError / deserializeError, in detail', () => {
  it('serialize to plain data: name, message, stack, own enumerable properties apart, cause', () => {
    const error = Object.assign(new RangeError('out', { cause: 'a string cause' }), {
      code: 'E_OUT',
      nested: new Error('inner'),
      list: [1, new TypeError('in a list')],
    });
    const serialized = serializeError(error) as SerializedError;
    expect(Object.keys(serialized).sort()).toEqual([
      '$forkroadError',
      'cause',
      'message',
      'name',
      'props',
      'stack',
    ]);
    expect(serialized).toMatchObject({
      $forkroadError: true,
      name: 'RangeError',
      message: 'out',
      cause: 'a string cause',
    });
    expect(Object.keys(serialized.props)).toEqual(['code', 'nested', 'list']);
    expect(isSerializedError(serialized.props.nested)).toBe(true);
    expect(isSerializedError((serialized.props.list as unknown[])[1])).toBe(true);
    // Own enumerable name, message, stack, cause and errors travel in their own fields, not in props.
    const loud = Object.assign(new Error('m'), { name: 'Loud', cause: 1, errors: [2] });
    Object.defineProperty(loud, 'message', { value: 'm', enumerable: true });
    Object.defineProperty(loud, 'stack', { value: 's', enumerable: true });
    expect(Object.keys(loud).sort()).toEqual(['cause', 'errors', 'message', 'name', 'stack']);
    expect((serializeError(loud) as SerializedError).props).toEqual({});
    expect(acrossBoundary(loud)).toMatchObject({ name: 'Loud', message: 'm', stack: 's', cause: 1 });
  });

  it('tell serialized errors from other data', () => {
    expect(isSerializedError(serializeError(new Error('x')))).toBe(true);
    expect(isSerializedError(null)).toBe(false);
    expect(isSerializedError(undefined)).toBe(false);
    expect(isSerializedError('$forkroadError')).toBe(false);
    expect(isSerializedError({ $forkroadError: 'yes' })).toBe(false);
    expect(isSerializedError({})).toBe(false);
    expect(deserializeError({ $forkroadError: 1, name: 'Error' })).toEqual({
      $forkroadError: 1,
      name: 'Error',
    });
  });

  it('rebuild every built-in error class, and a plain Error for names that are not classes', () => {
    for (const errorClass of [
      Error,
      TypeError,
      RangeError,
      SyntaxError,
      ReferenceError,
      EvalError,
      URIError,
    ]) {
      const back = acrossBoundary(new errorClass('m')) as Error;
      expect(back).toBeInstanceOf(errorClass);
      expect(Object.getPrototypeOf(back)).toBe(errorClass.prototype);
      expect(Object.keys(back)).toEqual([]);
    }
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'MyError']) {
      const error = new Error('m');
      error.name = name;
      const back = acrossBoundary(error) as Error;
      expect(Object.getPrototypeOf(back)).toBe(Error.prototype);
      expect(back.name).toBe(name);
      expect(back.message).toBe('m');
    }
  });

  it('rebuild contract errors with their message, cause and writable properties', () => {
    const back = acrossBoundary(
      new SerializationError('no clone', { cause: new Error('why') }),
    ) as SerializationError;
    expect(back).toBeInstanceOf(SerializationError);
    expect(Object.keys(back)).toEqual([]);
    expect(back.message).toBe('no clone');
    expect((back.cause as Error).message).toBe('why');
    for (const key of ['message', 'cause', 'stack'] as const) {
      expect(Object.getOwnPropertyDescriptor(back, key)).toMatchObject({
        writable: true,
        configurable: true,
      });
    }
    expect('cause' in (acrossBoundary(new CancelledError()) as Error)).toBe(false);
    expect('cause' in (acrossBoundary(new Error('plain')) as Error)).toBe(false);
    const withUndefinedCause = acrossBoundary(new Error('u', { cause: undefined })) as Error;
    expect('cause' in withUndefinedCause).toBe(true);
    expect(withUndefinedCause.cause).toBeUndefined();
  });

  it('give an error without a stack one made of its name and message', () => {
    const error = new TypeError('stackless');
    delete (error as { stack?: string }).stack;
    Object.defineProperty(error, 'stack', { value: undefined });
    const serialized = serializeError(error) as SerializedError;
    expect('stack' in serialized).toBe(false);
    expect((deserializeError(serialized) as Error).stack).toBe('TypeError: stackless');
  });

  it('stop at a depth of eight, in causes and in properties', () => {
    let error: Error = new Error('level 12');
    for (let level = 11; level >= 0; level--) error = new Error(`level ${level}`, { cause: error });
    let back = acrossBoundary(error) as Error;
    for (let level = 0; level <= 8; level++) {
      expect(back.message).toBe(`level ${level}`);
      back = back.cause as Error;
    }
    expect(back).toBe('[nested too deeply]');
    let nested: unknown = 'bottom';
    for (let level = 0; level < 12; level++) nested = { inner: nested };
    let data = (acrossBoundary(Object.assign(new Error('deep'), { data: nested })) as { data: unknown }).data;
    let depth = 0;
    while (typeof data === 'object' && data !== null) {
      data = (data as { inner: unknown }).inner;
      depth++;
    }
    expect(data).toBe('[nested too deeply]');
    expect(depth).toBe(8);
  });

  it('stop at a depth of eight in aggregate errors and in errors held by properties', () => {
    const depthOf = (value: unknown, next: (error: Record<string, unknown>) => unknown) => {
      let depth = 0;
      while (value instanceof Error) {
        value = next(value as unknown as Record<string, unknown>);
        depth++;
      }
      return { depth, bottom: value };
    };
    let aggregate: Error = new Error('bottom');
    let held: Error = new Error('bottom');
    for (let level = 0; level < 12; level++) {
      aggregate = new AggregateError([aggregate], `level ${level}`);
      held = Object.assign(new Error(`level ${level}`), { inner: held });
    }
    expect(depthOf(acrossBoundary(aggregate), (e) => (e.errors as unknown[])[0])).toEqual({
      depth: 9,
      bottom: '[nested too deeply]',
    });
    expect(depthOf(acrossBoundary(held), (e) => e.inner)).toEqual({
      depth: 9,
      bottom: '[nested too deeply]',
    });
  });

  it('keep the plain values of the deepest object it keeps', () => {
    const leaf = { text: 'x', count: 1, flag: true, big: 2n, tag: Symbol('t') };
    let nested: unknown = leaf;
    for (let level = 1; level < 8; level++) nested = { inner: nested };
    let data = (acrossBoundary(Object.assign(new Error('deep'), { data: nested })) as { data: unknown }).data;
    for (let level = 1; level < 8; level++) data = (data as { inner: unknown }).inner;
    expect(data).toEqual({ text: 'x', count: 1, flag: true, big: 2n, tag: 'Symbol(t)' });
  });

  it("put `name` on a rebuilt error only where its class's differs, writable and configurable", () => {
    for (const error of [new TypeError('t'), new TimeoutError(5), new Error('e')]) {
      expect(Object.hasOwn(acrossBoundary(error) as Error, 'name')).toBe(false);
    }
    const custom = new Error('c');
    custom.name = 'CustomError';
    const back = acrossBoundary(custom) as Error;
    expect(Object.getOwnPropertyDescriptor(back, 'name')).toEqual({
      value: 'CustomError',
      writable: true,
      enumerable: false,
      configurable: true,
    });
  });

  it('carry any data an error holds, describing what cannot be copied', () => {
    const props = {
      big: 12n,
      flag: false,
      nothing: null,
      missing: undefined,
      anonymous: (
        () => () =>
          1
      )(),
      when: new Date(0),
      map: new Map([[1, 2]]),
      weak: new WeakMap(),
      list: [() => 1, 'two'],
      record: { inner: Symbol('s') },
    };
    const back = acrossBoundary(Object.assign(new Error('data'), props)) as unknown as Record<
      string,
      unknown
    >;
    expect(back).toMatchObject({
      big: 12n,
      flag: false,
      nothing: null,
      anonymous: '[function anonymous]',
      when: new Date(0),
      map: new Map([[1, 2]]),
      weak: '[object WeakMap]',
      list: ['[function anonymous]', 'two'],
      record: { inner: 'Symbol(s)' },
    });
    expect('missing' in back).toBe(true);
    expect(back.missing).toBeUndefined();
  });
});
