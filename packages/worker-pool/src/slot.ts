import type { ChildProcess } from 'node:child_process';
import { deserialize } from 'node:v8';
import type { BroadcastChannel, TransferListItem, Worker } from 'node:worker_threads';
import {
  deserializeError,
  type RunningTask,
  SerializationError,
  serializeError,
  WorkerCrashedError,
} from '@forkroad/executor';
import Tinypool from 'tinypool';
import { type AbortRequest, isCrashReport, type WorkRequest, type WorkResponse } from './protocol.js';

export type Runtime = 'worker_threads' | 'child_process';

/** What every slot of one executor is made with. */
export interface SlotSettings {
  runtime: Runtime;
  tinypool: ConstructorParameters<typeof Tinypool>[0];
  /** threads: where AbortRequests are broadcast. */
  control: BroadcastChannel | null;
  /** Replace the worker after every task. */
  isolateWorkers: boolean;
  /** How long a task may go on after its signal fired before its worker is terminated. */
  terminateGraceMs: number;
  /** Worker destructions still under way, which shutdown waits for. */
  exiting: Set<Promise<void>>;
}

/** The task a slot runs now. */
interface InFlight {
  id: number;
  settled: boolean;
  resolve(value: WorkResponse): void;
  reject(error: unknown): void;
  graceTimer?: ReturnType<typeof setTimeout>;
}

let nextRequestId = 1;

/**
 * One worker's place in the pool: a one-worker tinypool, so that the slot always knows which
 * task its worker runs. That is what lets it fail exactly that task when the worker dies (tinypool
 * alone never settles a task whose thread called process.exit), and terminate exactly that worker
 * when its task outlives its grace period.
 */
export class WorkerSlot {
  private pool: Tinypool | null = null;
  private watched: unknown = null;
  private current: InFlight | null = null;
  /** The last error a dying worker reported, for the crash message. */
  private lastError: unknown;

  constructor(private readonly settings: SlotSettings) {}

  run(
    request: Omit<WorkRequest, 'id'>,
    task: RunningTask,
    transfer?: readonly TransferListItem[],
  ): Promise<WorkResponse> {
    this.pool ??= this.createPool();
    const pool = this.pool;
    const id = nextRequestId++;
    return new Promise<WorkResponse>((resolve, reject) => {
      const inFlight: InFlight = { id, settled: false, resolve, reject };
      this.current = inFlight;
      pool
        .run({ ...request, id } as WorkRequest, {
          name: 'run',
          transferList: transfer as TransferListItem[] | undefined,
        })
        .then(
          (response: WorkResponse) => {
            task.onAbort(null);
            this.settle(inFlight, true, response);
          },
          (error: unknown) => {
            task.onAbort(null);
            this.onPoolRejection(inFlight, error);
          },
        );
      this.watchWorker(pool);
      task.onAbort((reason) => this.stop(inFlight, reason));
    });
  }

  /** Terminates the worker, if any, and resolves once it has exited. */
  close(): Promise<void> {
    this.discard(true);
    return Promise.all([...this.settings.exiting]).then(() => {});
  }

  private createPool(): Tinypool {
    const pool = new Tinypool(this.settings.tinypool);
    // tinypool reports a worker that dies while idle as an 'error' event; unheard, it would
    // crash the parent. The exit watcher below does what needs doing.
    pool.on('error', () => {});
    return pool;
  }

  private settle(inFlight: InFlight, ok: boolean, value: unknown): void {
    if (inFlight.settled) return;
    inFlight.settled = true;
    clearTimeout(inFlight.graceTimer);
    if (this.current === inFlight) this.current = null;
    if (this.settings.isolateWorkers) this.discard(true);
    if (ok) inFlight.resolve(value as WorkResponse);
    else inFlight.reject(value);
  }

  /** The task's signal fired: ask it to stop, and terminate its worker if it has not soon. */
  private stop(inFlight: InFlight, reason: unknown): void {
    if (inFlight.settled) return;
    const request: AbortRequest = { $forkroad: 'abort', id: inFlight.id, reason: serializeError(reason) };
    const child = this.childProcess();
    if (this.settings.control) this.settings.control.postMessage(request);
    else if (child?.connected) child.send(request, () => {});
    inFlight.graceTimer = setTimeout(() => {
      if (inFlight.settled || this.current !== inFlight) return;
      this.discard(true);
      this.settle(inFlight, false, reason);
    }, this.settings.terminateGraceMs);
  }

  /** Watches the worker tinypool runs the task on, so that its death fails the task. */
  private watchWorker(pool: Tinypool): void {
    const worker = pool.threads[0] as unknown as { thread?: Worker; process?: ChildProcess } | undefined;
    if (!worker || worker === this.watched) return;
    this.watched = worker;
    this.lastError = undefined;
    const onExit = (code: number | null, signal?: NodeJS.Signals | null) => {
      if (this.watched !== worker || this.pool !== pool) return;
      this.onWorkerExit(code, signal ?? null);
    };
    if (worker.thread) {
      worker.thread.on('error', (error) => {
        this.lastError = error;
      });
      worker.thread.once('exit', onExit);
    } else if (worker.process) {
      worker.process.on('message', (message: unknown) => {
        if (isCrashReport(message)) this.lastError = deserializeError(message.error);
      });
      // 'close', not 'exit': the crash report may still be in the IPC pipe when 'exit' fires.
      worker.process.once('close', onExit);
    }
  }

  /** A worker exited without being asked to: fail its task, if it had one, and start afresh. */
  private onWorkerExit(exitCode: number | null, signal: NodeJS.Signals | null): void {
    const inFlight = this.current;
    this.discard(false);
    if (!inFlight) return;
    const cause = this.lastError;
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    const error = new WorkerCrashedError(`worker ${how} while running the task${why}`, {
      exitCode,
      signal,
      cause,
    });
    this.settle(inFlight, false, error);
  }

  /**
   * Forgets the current worker; `terminate` also ends it (for a worker that is still alive) and
   * records its exit for shutdown to wait for.
   */
  private discard(terminate: boolean): void {
    const pool = this.pool;
    this.pool = null;
    this.watched = null;
    if (!pool || !terminate) return;
    const exiting: Promise<void> = pool.destroy().then(
      () => {
        this.settings.exiting.delete(exiting);
      },
      () => {
        this.settings.exiting.delete(exiting);
      },
    );
    this.settings.exiting.add(exiting);
  }

  private childProcess(): ChildProcess | undefined {
    return (this.watched as { process?: ChildProcess } | null)?.process;
  }

  /**
   * tinypool rejects with what went wrong outside the handler: arguments that would not clone, or
   * a worker that died, which the exit watcher reports better (with exit code and cause).
   */
  private onPoolRejection(inFlight: InFlight, error: unknown): void {
    if (error instanceof Error && error.name === 'DataCloneError') {
      this.settle(
        inFlight,
        false,
        new SerializationError(`task arguments could not be cloned: ${error.message}`, { cause: error }),
      );
      return;
    }
    const child = this.childProcess();
    const dying =
      this.lastError !== undefined || (child && (child.exitCode !== null || child.signalCode !== null));
    if (!dying) this.settle(inFlight, false, error);
  }
}

/** The value of a response, or the error it carries. */
export function unwrap(response: WorkResponse): unknown {
  if (!response.ok) throw deserializeError(response.error);
  return response.payload ? deserialize(response.payload) : response.value;
}
