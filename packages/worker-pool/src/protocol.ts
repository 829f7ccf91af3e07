/** The messages between the parent and a worker, for either runtime. */

/**
 * What the parent asks a worker to do: one call (`values` are its arguments), or a batch of calls
 * with one input each (`values` are the inputs). Child processes get the values pre-serialized
 * with v8.serialize (`payload`): what Node's IPC cannot carry is caught in the parent, before
 * tinypool forwards anything.
 */
export interface WorkRequest {
  kind: 'call' | 'batch';
  id: number;
  module: string;
  name: string;
  values?: unknown[];
  payload?: Uint8Array;
}

/**
 * What a worker answers. The handler never throws: errors travel serialized (serializeError) so
 * that name, stack, code and cause survive. Child processes send results pre-serialized with
 * v8.serialize (`payload`), so that an uncopyable result is caught where it is made.
 */
export type WorkResponse =
  | { ok: true; value?: unknown; payload?: Uint8Array; durationMs?: number }
  | { ok: false; error: unknown };

/** Parent → worker, outside tinypool's channel: stop the task with this id. */
export interface AbortRequest {
  $forkroad: 'abort';
  id: number;
  reason: unknown;
}

/** Child process → parent, just before it dies of an uncaught exception. */
export interface CrashReport {
  $forkroad: 'crash';
  error: unknown;
}

/** What tinypool's `workerData` carries to worker threads. */
export interface ThreadWorkerData {
  /** The BroadcastChannel name on which AbortRequests arrive. */
  controlChannel: string;
}

export function isAbortRequest(message: unknown): message is AbortRequest {
  return typeof message === 'object' && message !== null && (message as AbortRequest).$forkroad === 'abort';
}

export function isCrashReport(message: unknown): message is CrashReport {
  return typeof message === 'object' && message !== null && (message as CrashReport).$forkroad === 'crash';
}

function isPrimitive(value: unknown): boolean {
  return (
    value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')
  );
}

/**
 * Whether IPC carries `value` exactly as it is: a primitive, or a plain array of primitives with
 * nothing else on it. Only other values need the v8.serialize round that catches what IPC cannot
 * carry; skipping it for the common tiny values saves a third of a small task's cost.
 */
export function carriesAsIs(value: unknown): boolean {
  if (isPrimitive(value)) return true;
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
  if (Object.keys(value).length !== value.length) return false;
  for (let i = 0; i < value.length; i++) if (!isPrimitive(value[i])) return false;
  return true;
}
