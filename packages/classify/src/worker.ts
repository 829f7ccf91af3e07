// Entry of the dedicated worker that `classifyFunction(fn, { isolate: true })` measures in.
import { parentPort, workerData } from 'node:worker_threads';
import { compileFunction, FunctionProbe } from './probe.js';

export interface WorkerInit {
  source: string;
  args: unknown[];
  /** libuv's pool threads, when known (see `discoverThreadPool`). */
  poolTids: number[];
}

export type WorkerCommand =
  | { op: 'warm'; n: number }
  | { op: 'measure'; n: number }
  | { op: 'concurrent'; copies: number };

export type WorkerRequest = WorkerCommand & { id: number };

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

const port = parentPort;
if (port) {
  const { source, args, poolTids } = workerData as WorkerInit;
  const toError = (e: unknown) =>
    e instanceof Error
      ? { name: e.name, message: e.message, stack: e.stack }
      : { name: 'Error', message: String(e) };
  try {
    const fn = compileFunction(source);
    const probe = new FunctionProbe(true, poolTids);
    const call = () => fn(...args);
    port.on('message', async (req: WorkerRequest) => {
      try {
        let value: unknown;
        if (req.op === 'warm') {
          for (let i = 0; i < req.n; i++) await probe.warm(call);
        } else if (req.op === 'measure') {
          const samples = [];
          for (let i = 0; i < req.n; i++) samples.push(await probe.measure(call));
          value = { samples, threadCpuSource: probe.threadCpuSource };
        } else {
          value = await probe.concurrent(call, req.copies);
        }
        port.postMessage({ id: req.id, ok: true, value } satisfies WorkerReply);
      } catch (e) {
        port.postMessage({ id: req.id, ok: false, error: toError(e) } satisfies WorkerReply);
      }
    });
    port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies WorkerReply);
  } catch (e) {
    port.postMessage({ id: 0, ok: false, error: toError(e) } satisfies WorkerReply);
  }
}
