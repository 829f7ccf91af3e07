/** The messages between the parent and a worker, for either runtime. */

/** What the parent asks a worker to do: one call, or a batch of calls with one input each. */
export type WorkRequest =
  | { kind: 'call'; id: number; module: string; name: string; args: unknown[] }
  | { kind: 'batch'; id: number; module: string; name: string; inputs: unknown[] };

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
