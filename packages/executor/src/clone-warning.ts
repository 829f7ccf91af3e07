/**
 * Structured clone (threads) and v8.serialize (processes) copy a class instance as a plain object:
 * its prototype, methods, getters and #private fields are dropped, and nothing throws. A backend
 * that copies values calls `warnOfDroppedPrototypes` on what it sends, so that this surprise shows
 * up once, as a process warning, instead of as `undefined is not a function` in a worker.
 */

/** The warning's `code`, for `process.on('warning')` filters and `--disable-warning`. */
export const DROPPED_PROTOTYPE_WARNING = 'FORKROAD_DROPPED_PROTOTYPE';

/** Built-ins that structured clone rebuilds with their own prototype. */
const CLONEABLE: readonly (abstract new (...args: never[]) => unknown)[] = [
  Map,
  Set,
  Date,
  RegExp,
  Error,
  ArrayBuffer,
  SharedArrayBuffer,
  Boolean,
  Number,
  String,
];

/** How many entries of an array or object are looked at, and how deep: the check stays cheap. */
const LOOK_AT = 16;
const DEPTH = 2;

/** The classes already warned about: once each, told apart by identity, not by name. */
const warned = new WeakSet<object>();

/**
 * The class name of the first value in `value` (looked at `DEPTH` levels down, `LOOK_AT` entries
 * per level) that a copy would turn into a plain object, or undefined when there is none.
 */
export function droppedPrototype(value: unknown): string | undefined {
  const found = instanceLosingPrototype(value, DEPTH);
  return found === undefined ? undefined : className(found);
}

function className(instance: object): string {
  return (instance as { constructor?: { name?: string } }).constructor?.name || 'a class';
}

function instanceLosingPrototype(value: unknown, depth: number): object | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null || Array.isArray(value)) {
    if (depth === 0) return undefined;
    let looked = 0;
    // for…in with an early stop: no array of every value is made for a big object.
    for (const key in value) {
      if (looked++ === LOOK_AT) break;
      const found = instanceLosingPrototype((value as Record<string, unknown>)[key], depth - 1);
      if (found) return found;
    }
    return undefined;
  }
  if (ArrayBuffer.isView(value) || CLONEABLE.some((type) => value instanceof type)) return undefined;
  return value;
}

/**
 * Emits one process warning per class whose instances are sent to a worker through `where`
 * (e.g. `@forkroad/threads`), for the task `name`.
 */
export function warnOfDroppedPrototypes(values: readonly unknown[], where: string, name: string): void {
  const found = instanceLosingPrototype(values, DEPTH);
  if (!found) return;
  const type = (Object.getPrototypeOf(found) as object | null) ?? found;
  if (warned.has(type)) return;
  warned.add(type);
  process.emitWarning(
    `task '${name}' was sent an instance of ${className(found)}: the copy a worker receives is a plain object with only its own enumerable properties (its prototype, methods, getters and #private fields are dropped). Send plain data and rebuild the object in the worker.`,
    { type: `${where} warning`, code: DROPPED_PROTOTYPE_WARNING },
  );
}
