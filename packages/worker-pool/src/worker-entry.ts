/**
 * Runs inside each worker (thread or child process). tinypool loads it and runs `connect` once;
 * from then on requests arrive on the channel (the thread's MessagePort, the process's IPC).
 * Imports task modules, runs calls and batches one after another with the task's AbortSignal in
 * context, and answers with results or serialized errors.
 */
import { isMainThread, type MessagePort } from 'node:worker_threads';
import {
  deserializeError,
  loadTaskModule,
  runInTaskContext,
  SerializationError,
  shapeOf,
  type TaskModuleExports,
  taskFunction,
} from '@forkroad/executor';
import {
  type Carried,
  type ConnectRequest,
  type ConnectResponse,
  type CrashReport,
  isAbortRequest,
  isWorkRequest,
  pack,
  packError as packErrorFor,
  unpack,
  type WorkRequest,
  type WorkResponse,
} from './protocol.js';

const inChildProcess = isMainThread;
const modules = new Map<string, Promise<TaskModuleExports>>();
const pending = new Map<number, RequestContext>();
/** A thread's end of its channel; processes answer on their IPC channel. */
let port: MessagePort | null = null;

function onMessage(message: unknown): void {
  if (isWorkRequest(message)) accept(message);
  else if (isAbortRequest(message)) pending.get(message.id)?.abort(deserializeError(unpack(message)));
}

if (inChildProcess) {
  process.on('message', onMessage);
  // The parent is gone (killed, crashed): nobody will read a result, so do not run on as an orphan.
  process.on('disconnect', () => process.exit(0));
  // Tell the parent why we die before dying, so that its WorkerCrashedError can say.
  process.on('uncaughtException', (error) => {
    const report: CrashReport = { $forkroad: 'crash', ...packError(error) };
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (process.send) process.send(report, () => process.exit(1));
    else process.exit(1);
  });
}

/**
 * tinypool's handler, run once per worker: take the channel, then load the task module, so that
 * the parent counts a task's time from when the worker can run it.
 */
export async function run(request: ConnectRequest): Promise<ConnectResponse> {
  if (request.port) {
    port = request.port;
    port.on('message', onMessage);
  }
  try {
    return { shape: shapeOf(await loaded(request.module)) };
  } catch (error) {
    return { error: packError(error) };
  }
}

function loaded(url: string): Promise<TaskModuleExports> {
  let module = modules.get(url);
  if (!module) {
    module = loadTaskModule(url);
    modules.set(url, module);
    // A module that failed to load may be fixed on disk; try again next time.
    module.catch(() => modules.delete(url));
  }
  return module;
}

/** A request's stop state; the AbortController is made only if the task asks for it. */
class RequestContext {
  private controller: AbortController | null = null;
  reason: unknown;
  aborted = false;

  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/** The last request taken; the next waits for it, since a worker runs one task at a time. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * A staged request arrives while the one before it runs, and starts once that one has answered;
 * if it was aborted meanwhile, it is skipped.
 */
function accept(request: WorkRequest): void {
  const context = new RequestContext();
  pending.set(request.id, context);
  previous = previous
    .then(async () => {
      const response = await execute(request, context);
      pending.delete(request.id);
      await outputWritten();
      reply(response);
    })
    // Only a broken channel gets here: let it end the worker, as any uncaught error would.
    .catch((error: unknown) =>
      queueMicrotask(() => {
        throw error;
      }),
    );
}

async function execute(request: WorkRequest, context: RequestContext): Promise<WorkResponse> {
  const { id } = request;
  try {
    if (context.aborted) throw context.reason;
    const fn = taskFunction(await loaded(request.module), request.name);
    const values = unpack(request) as unknown[];
    if (request.kind === 'call') return answer(id, await runInTaskContext(context, fn, values));
    const started = performance.now();
    const results: unknown[] = [];
    for (const input of values) {
      if (context.aborted) throw context.reason;
      try {
        results.push(await runInTaskContext(context, fn, [input]));
      } catch (error) {
        return batchFailure(id, error, results);
      }
    }
    const response = answer(id, results);
    if (response.ok) response.durationMs = performance.now() - started;
    return response;
  } catch (error) {
    return { $forkroad: 'result', id, ok: false, ...packError(error) };
  }
}

/** A batch that stopped at a failing input: the error, with the results of the inputs ahead of it. */
function batchFailure(id: number, error: unknown, results: unknown[]): WorkResponse {
  const response: WorkResponse = { $forkroad: 'result', id, ok: false, ...packError(error) };
  try {
    response.completed = pack(results, inChildProcess);
  } catch {
    // Results that cannot travel are lost; the failure itself still does.
  }
  return response;
}

function answer(id: number, value: unknown): WorkResponse {
  try {
    return { $forkroad: 'result', id, ok: true, ...pack(value, inChildProcess) };
  } catch (error) {
    return serializationFailure(id, `task result could not be serialized: ${reason(error)}`);
  }
}

function packError(error: unknown): Carried {
  return packErrorFor(error, inChildProcess);
}

function serializationFailure(id: number, message: string): WorkResponse {
  return { $forkroad: 'result', id, ok: false, ...packError(new SerializationError(message)) };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the task printed reaches the parent before its result does. */
async function outputWritten(): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0) await new Promise<void>((resolve) => stream.write('', () => resolve()));
  }
}

function reply(response: WorkResponse): void {
  if (!port) {
    process.send!(response, () => {});
    return;
  }
  try {
    port.postMessage(response);
  } catch (error) {
    // A thread's result is cloned here: one that cannot be is the task's failure, not the worker's.
    if (!(error instanceof Error && error.name === 'DataCloneError')) throw error;
    port.postMessage(serializationFailure(response.id, `task result could not be cloned: ${error.message}`));
  }
}
