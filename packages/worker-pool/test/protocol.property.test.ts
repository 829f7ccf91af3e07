/**
 * What crosses a process's JSON IPC must come back exactly: pack() sends JSON-exact values as
 * they are and everything else as v8 bytes. Checked through a real JSON round trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carriesAsIs, pack, unpack } from '../src/protocol.js';

const throughJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as object;

const anyValue = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: false,
  withBoxedValues: false,
});

describe('pack / unpack for processes', () => {
  it('any structured-clonable value survives pack, JSON IPC and unpack unchanged', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(unpack(throughJson({ $forkroad: 'result', ...pack(value, true) }))).toStrictEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('values JSON would change never take the JSON path', () => {
    for (const value of [Number.NaN, -0, Number.POSITIVE_INFINITY, 1n, [undefined], [1, Number.NaN], [-0]]) {
      expect(carriesAsIs(value)).toBe(false);
      expect(unpack(throughJson(pack(value, true)))).toStrictEqual(value);
    }
    for (const value of [1, 'text', true, null, undefined, [1, 'two', false, null]]) {
      expect(carriesAsIs(value)).toBe(true);
      expect(pack(value, true)).toEqual({ value });
    }
  });

  it('threads get every value as it is', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(pack(value, false)).toEqual({ value });
      }),
    );
  });
});
