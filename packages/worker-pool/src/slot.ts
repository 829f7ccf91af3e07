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

/** A task the slot holds: running, or staged behind the running one. */
interface InFlight {
  request: Omit<WorkRequest, 'id'>;
  transfer: readonly TransferListItem[] | undefined;
  task: RunningTask;
  /** The id of its latest posting, and the pool it went to (null: not posted). */
  id: number;
  pool: Tinypool | null;
  settled: boolean;
  /** Set once its signal fired. */
  stopReason?: { reason: unknown };
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
 *
 * A slot may also hold staged tasks: posted to the worker ahead of time (the worker runs its
 * tasks one after another), so that each starts without waiting for a message round trip. If the
 * worker dies first, the staged tasks, which never started, go to the next worker.
 */
export class WorkerSlot {
  private pool: Tinypool | null = null;
  private watched: unknown = null;
  private current: InFlight | null = null;
  /** In the order the worker runs them. */
  private readonly staged: InFlight[] = [];
  /** The last error a dying worker reported, for the crash message. */
  private lastError: unknown;

  constructor(private readonly settings: SlotSettings) {}

  /** How many tasks the slot holds: 0 when idle, else the running one and those staged. */
  get load(): number {
    return this.current ? 1 + this.staged.length : 0;
  }

  /** Runs the request now if the slot is idle, or stages it behind the running task. */
  run(
    request: Omit<WorkRequest, 'id'>,
    task: RunningTask,
    transfer?: readonly TransferListItem[],
  ): Promise<WorkResponse> {
    return new Promise<WorkResponse>((resolve, reject) => {
      const inFlight: InFlight = {
        request,
        transfer,
        task,
        id: 0,
        pool: null,
        settled: false,
        resolve,
        reject,
      };
      if (this.current === null) {
        this.current = inFlight;
        this.post(inFlight);
        task.started();
      } else {
        this.staged.push(inFlight);
        this.postStaged();
      }
      task.onAbort((reason) => this.stop(inFlight, reason));
    });
  }

  /** Terminates the worker, if any, and resolves once it has exited. */
  close(): Promise<void> {
    this.discard(true);
    return Promise.all([...this.settings.exiting]).then(() => {});
  }

  /**
   * Posts the staged tasks, in order, as far as the first one with a transfer list: transferred
   * buffers would be lost with the worker if it died before the task started, so such a task
   * waits here until it runs next.
   */
  private postStaged(): void {
    for (const inFlight of this.staged) {
      if (this.postedHere(inFlight)) continue;
      if (inFlight.transfer?.length) return;
      this.post(inFlight);
    }
  }

  private postedHere(inFlight: InFlight): boolean {
    return inFlight.pool !== null && inFlight.pool === this.pool;
  }

  private post(inFlight: InFlight): void {
    this.pool ??= this.createPool();
    const pool = this.pool;
    const id = nextRequestId++;
    inFlight.id = id;
    inFlight.pool = pool;
    pool
      .run({ ...inFlight.request, id } as WorkRequest, {
        name: 'run',
        transferList: inFlight.transfer as TransferListItem[] | undefined,
      })
      .then(
        (response: WorkResponse) => {
          if (inFlight.pool === pool && inFlight.id === id) this.settle(inFlight, true, response);
        },
        (error: unknown) => {
          if (inFlight.pool === pool && inFlight.id === id) this.onPoolRejection(inFlight, error);
        },
      );
    this.watchWorker(pool);
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
    inFlight.task.onAbort(null);
    if (this.current === inFlight) {
      this.current = null;
      if (this.settings.isolateWorkers) this.discard(true);
      this.startStaged();
    } else {
      const at = this.staged.indexOf(inFlight);
      if (at !== -1) this.staged.splice(at, 1);
    }
    if (ok) inFlight.resolve(value as WorkResponse);
    else inFlight.reject(value);
  }

  /** The running task ended: the first staged one, if any, runs now (posted already, or now). */
  private startStaged(): void {
    const next = this.staged.shift();
    if (!next) return;
    this.current = next;
    if (!this.postedHere(next)) this.post(next);
    this.postStaged();
    next.task.started();
    // Stopped while it waited: it had no grace period yet.
    if (next.stopReason) this.stop(next, next.stopReason.reason);
  }

  /** The task's signal fired: ask it to stop, and terminate its worker if it has not soon. */
  private stop(inFlight: InFlight, reason: unknown): void {
    if (inFlight.settled) return;
    inFlight.stopReason = { reason };
    if (this.current !== inFlight && !this.postedHere(inFlight)) {
      // Staged, and not in any live worker: nothing to stop.
      this.settle(inFlight, false, reason);
      return;
    }
    if (inFlight.graceTimer !== undefined) return;
    const request: AbortRequest = { $forkroad: 'abort', id: inFlight.id, reason: serializeError(reason) };
    const child = this.childProcess();
    if (this.settings.control) this.settings.control.postMessage(request);
    else if (child?.connected) child.send(request, () => {});
    // A staged task is skipped by its worker; only a running one can outstay its grace period.
    if (this.current !== inFlight) return;
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

  /**
   * A worker exited without being asked to: fail its running task, if it had one, and start
   * afresh; the staged tasks never started, and go to the next worker.
   */
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
