/**
 * Runs inside each worker (thread or child process), loaded by tinypool as its task handler.
 * Imports task modules, runs calls and batches with the task's AbortSignal in context, and
 * answers with results or serialized errors; never throws into tinypool.
 */
import { deserialize, serialize } from 'node:v8';
import { BroadcastChannel, isMainThread, MessagePort } from 'node:worker_threads';
import {
  deserializeError,
  loadTaskModule,
  runInTaskContext,
  SerializationError,
  serializeError,
  type TaskModuleExports,
  taskFunction,
} from '@forkroad/executor';
import {
  type AbortRequest,
  type CrashReport,
  carriesAsIs,
  isAbortRequest,
  type ThreadWorkerData,
  type WorkRequest,
  type WorkResponse,
} from './protocol.js';

const inChildProcess = isMainThread;
const modules = new Map<string, Promise<TaskModuleExports>>();
const running = new Map<number, RequestContext>();
/**
 * Threads hear aborts on a BroadcastChannel, which may overtake the staged request it is about.
 * Such aborts wait here for their request; a worker's request ids only grow, so one below the
 * latest id will never come (the broadcast was for another worker) and is dropped.
 */
const earlyAborts = new Map<number, unknown>();
const maxEarlyAborts = 1024;
let latestId = 0;

function abortTask(request: AbortRequest): void {
  const context = running.get(request.id);
  if (context) context.abort(deserializeError(request.reason));
  else if (request.id > latestId) {
    if (earlyAborts.size >= maxEarlyAborts) earlyAborts.delete(earlyAborts.keys().next().value!);
    earlyAborts.set(request.id, request.reason);
  }
}

function received(id: number, context: RequestContext): void {
  latestId = id;
  if (earlyAborts.size === 0) return;
  const reason = earlyAborts.get(id);
  if (reason !== undefined) context.abort(deserializeError(reason));
  for (const early of earlyAborts.keys()) if (early <= id) earlyAborts.delete(early);
}

if (inChildProcess) {
  process.on('message', (message: unknown) => {
    if (isAbortRequest(message)) abortTask(message);
  });
  // The parent is gone (killed, crashed): nobody will read a result, so do not run on as an orphan.
  process.on('disconnect', () => process.exit(0));
  // Tell the parent why we die before dying, so that its WorkerCrashedError can say.
  process.on('uncaughtException', (error) => {
    const report: CrashReport = { $forkroad: 'crash', error: serializeError(error) };
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (process.send) process.send(report, () => process.exit(1));
    else process.exit(1);
  });
} else {
  const data = (process as unknown as { __tinypool_state__?: { workerData?: ThreadWorkerData } })
    .__tinypool_state__?.workerData;
  if (data?.controlChannel) {
    const control = new BroadcastChannel(data.controlChannel);
    control.onmessage = (event) => {
      const message = (event as MessageEvent).data;
      if (isAbortRequest(message)) abortTask(message);
    };
    (control as unknown as { unref(): void }).unref();
  }
  answerUncloneableResults();
}

/**
 * tinypool posts a thread's answer itself, and a result that cannot be cloned would throw there
 * and kill the worker. Catch that one failure and answer with a SerializationError instead.
 */
function answerUncloneableResults(): void {
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function postMessage(this: MessagePort, message: any, transfer?: any) {
    try {
      return post.call(this, message, transfer);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'DataCloneError' && message && 'taskId' in message))
        throw error;
      const response: WorkResponse = {
        ok: false,
        error: serializeError(new SerializationError(`task result could not be cloned: ${error.message}`)),
      };
      return post.call(this, { ...message, result: response });
    }
  };
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

/** A running request's stop state; the AbortController is made only if the task asks for it. */
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

/** The last request taken; the next one waits for it, since a worker runs one task at a time. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * tinypool's handler: one request in, one response out. A staged request arrives while the one
 * before it runs, and starts once that one has answered; if it was aborted meanwhile, it is
 * skipped.
 */
export function run(request: WorkRequest): Promise<WorkResponse> {
  const context = new RequestContext();
  running.set(request.id, context);
  received(request.id, context);
  const response = previous.then(() => execute(request, context));
  previous = response;
  return response;
}

async function execute(request: WorkRequest, context: RequestContext): Promise<WorkResponse> {
  try {
    if (context.aborted) throw context.reason;
    const fn = taskFunction(await loaded(request.module), request.name);
    const values = (request.payload ? deserialize(request.payload) : request.values) as unknown[];
    if (request.kind === 'call') return answer(await runInTaskContext(context, fn, values));
    const started = performance.now();
    const results: unknown[] = [];
    for (const input of values) {
      if (context.aborted) throw context.reason;
      results.push(await runInTaskContext(context, fn, [input]));
    }
    const response = answer(results);
    if (response.ok) response.durationMs = performance.now() - started;
    return response;
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  } finally {
    running.delete(request.id);
  }
}

function answer(value: unknown): WorkResponse {
  if (!inChildProcess || carriesAsIs(value)) return { ok: true, value };
  try {
    return { ok: true, payload: serialize(value) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: serializeError(new SerializationError(`task result could not be serialized: ${reason}`)),
    };
  }
}
