import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DROPPED_PROTOTYPE_WARNING, droppedPrototype, warnOfDroppedPrototypes } from '../src/index.js';

class Point {
  #secret = 1;
  y = 2;
  get secret() {
    return this.#secret;
  }
}

describe('droppedPrototype', () => {
  it('property: plain data (JSON values, arrays, plain objects) never warns', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(droppedPrototype([value])).toBeUndefined();
      }),
    );
  });

  it('property: a class instance among the first entries, two levels down, is named', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 15 }), fc.nat(), (plain, at) => {
        const args: unknown[] = [...plain];
        args.splice(at % (args.length + 1), 0, { point: new Point() });
        expect(droppedPrototype(args)).toBe('Point');
      }),
    );
  });

  it('leaves alone what structured clone rebuilds as it was', () => {
    const cloneable = [
      new Map([[1, 2]]),
      new Set([1]),
      new Date(0),
      /x/g,
      new TypeError('t'),
      new ArrayBuffer(4),
      new SharedArrayBuffer(4),
      new Uint8Array(2),
      new DataView(new ArrayBuffer(2)),
      Object.create(null),
    ];
    expect(droppedPrototype(cloneable)).toBeUndefined();
    expect(droppedPrototype([new (class {})()])).toBe('a class');
  });
});

describe('warnOfDroppedPrototypes', () => {
  it('warns once per class, with a code and the task’s name', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      class Order {
        id = 1;
      }
      warnOfDroppedPrototypes([new Order()], '@forkroad/threads', 'ship');
      warnOfDroppedPrototypes([{ order: new Order() }], '@forkroad/threads', 'ship');
      warnOfDroppedPrototypes([{ id: 1 }], '@forkroad/threads', 'ship');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        name: '@forkroad/threads warning',
        code: DROPPED_PROTOTYPE_WARNING,
      });
      expect(warnings[0]!.message).toMatch(/task 'ship' was sent an instance of Order/);
    } finally {
      process.off('warning', listen);
    }
  });
});
