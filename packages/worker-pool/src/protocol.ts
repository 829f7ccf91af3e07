/**
 * The messages between the parent and a worker, for either runtime. tinypool starts the worker
 * and runs one task on it, `connect`, which hands over the channel; from then on tasks travel
 * on that channel (a MessagePort for a thread, the IPC channel for a process), one message each
 * way, without tinypool's per-task bookkeeping.
 */
import { deserialize, serialize } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import { serializeError, type TaskModuleShape } from '@forkroad/executor';

/**
 * tinypool's task, run once per worker: gives a thread worker its end of the channel (processes
 * use their IPC) and has the worker load the task module before it reports ready.
 */
export interface ConnectRequest {
  port?: MessagePort;
  module: string;
}

/** The worker's answer to `connect`: the module's shape once loaded, or why it could not load. */
export type ConnectResponse = { shape: TaskModuleShape } | { error: Carried };

/**
 * A value on its way. Threads post it as it is (`value`): the structured clone carries it.
 * Processes talk JSON, the fastest IPC Node has: a value JSON carries exactly travels as it is,
 * anything else as base64 of v8.serialize (`payload`), made where a failure can be caught.
 */
export interface Carried {
  value?: unknown;
  payload?: string;
}

/**
 * What the parent asks a worker to do: one call (the value is its arguments), or a batch of
 * calls with one input each (the value is the inputs).
 */
export interface WorkRequest extends Carried {
  $forkroad: 'work';
  kind: 'call' | 'batch';
  id: number;
  module: string;
  name: string;
}

/**
 * What a worker answers: the result, or the error serialized by serializeError so that name,
 * stack, code and cause survive.
 */
export interface WorkResponse extends Carried {
  $forkroad: 'result';
  id: number;
  ok: boolean;
  /** Batches: time spent running the batch in the worker. */
  durationMs?: number;
  /** A batch that failed at an input: the results of the inputs ahead of it. */
  completed?: Carried;
}

/** Parent → worker: stop the task with this id (skip it, if it has not started); the value is the reason. */
export interface AbortRequest extends Carried {
  $forkroad: 'abort';
  id: number;
}

/** Child process → parent, just before it dies of an uncaught exception; the value is the error. */
export interface CrashReport extends Carried {
  $forkroad: 'crash';
}

function tagged(message: unknown, tag: string): boolean {
  return (
    typeof message === 'object' && message !== null && (message as { $forkroad?: unknown }).$forkroad === tag
  );
}

export const isWorkRequest = (message: unknown): message is WorkRequest => tagged(message, 'work');
export const isAbortRequest = (message: unknown): message is AbortRequest => tagged(message, 'abort');
export const isWorkResponse = (message: unknown): message is WorkResponse => tagged(message, 'result');
export const isCrashReport = (message: unknown): message is CrashReport => tagged(message, 'crash');

/** Whether JSON gives back exactly this value: no undefined in arrays, no NaN, ±Infinity, -0, bigint. */
function jsonKeeps(value: unknown, inArray: boolean): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'undefined':
      return !inArray;
    default:
      return value === null;
  }
}

/**
 * Whether JSON carries `value` exactly as it is: a primitive, or a plain array of primitives with
 * nothing else on it. Only other values need the v8.serialize round; skipping it for the common
 * tiny values saves a third of a small task's cost.
 */
export function carriesAsIs(value: unknown): boolean {
  if (jsonKeeps(value, false)) return true;
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
  if (Object.keys(value).length !== value.length) return false;
  for (let i = 0; i < value.length; i++) if (!jsonKeeps(value[i], true)) return false;
  return true;
}

/** Packs a value for a thread (as it is) or a process (JSON-exact, else v8 base64); v8 may throw. */
export function pack(value: unknown, forProcess: boolean): Carried {
  if (!forProcess || carriesAsIs(value)) return { value };
  return { payload: serialize(value).toString('base64') };
}

export function unpack(carried: Carried): unknown {
  return carried.payload === undefined ? carried.value : deserialize(Buffer.from(carried.payload, 'base64'));
}

/** An error (or abort reason) as it travels: serializeError keeps what matters, pack carries it. */
export function packError(error: unknown, forProcess: boolean): Carried {
  const serialized = serializeError(error);
  try {
    return pack(serialized, forProcess);
  } catch {
    // An own property that v8 cannot serialize either: the error without its extras.
    const { name, message, stack } = (serialized ?? {}) as {
      name?: unknown;
      message?: unknown;
      stack?: unknown;
    };
    return pack({ name, message, stack }, forProcess);
  }
}
