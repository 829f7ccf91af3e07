import type { ChildProcess } from 'node:child_process';
import { MessageChannel, type MessagePort, type TransferListItem } from 'node:worker_threads';
import {
  deserializeError,
  ExecutorClosedError,
  type RunningTask,
  SerializationError,
  type TaskModuleShape,
  WorkerCrashedError,
} from '@forkroad/executor';
import {
  type AbortRequest,
  type ConnectRequest,
  type ConnectResponse,
  isCrashReport,
  isWorkResponse,
  packError,
  unpack,
  type WorkRequest,
  type WorkResponse,
} from './protocol.js';
import { type Runtime, type StartedWorker, startWorker, type WorkerStart } from './tinypool-seam.js';

/** What every slot of one executor is made with. */
export interface SlotSettings {
  runtime: Runtime;
  /** The task module, which each worker loads before it reports ready. */
  moduleUrl: string;
  /** The task module's shape, as the last worker to load it reported; null until one has. */
  shape: TaskModuleShape | null;
  /** How its workers are started (tinypool-seam.ts). */
  start: WorkerStart;
  /** Replace the worker after every task. */
  isolateWorkers: boolean;
  /** How long a worker may sit idle before it exits; null: it stays. */
  idleTimeoutMs: number | null;
  /** How long a task may go on after its signal fired before its worker is terminated. */
  terminateGraceMs: number;
  /** Worker destructions still under way, which shutdown waits for. */
  exiting: Set<Promise<void>>;
}

/** A request as the backend makes it; the slot numbers it when it posts it. */
export type TaskRequest = Omit<WorkRequest, '$forkroad' | 'id'>;

/** What a worker link reports to its slot. */
interface LinkEvents {
  /** The worker has loaded the task module: tasks sent to it start at once. */
  loaded(link: WorkerLink, shape: TaskModuleShape): void;
  response(link: WorkerLink, response: WorkResponse): void;
  exited(link: WorkerLink, exitCode: number | null, signal: NodeJS.Signals | null, cause: unknown): void;
  connectFailed(link: WorkerLink, error: unknown): void;
}

/**
 * One live worker: the one-worker tinypool that started it and the channel to it. tinypool runs
 * a single task on it, which hands over the channel (a MessagePort for a thread; a process has
 * its IPC channel); tasks then travel on the channel, one message each way.
 */
class WorkerLink {
  private readonly worker: StartedWorker;
  private readonly port: MessagePort | null = null;
  private readonly child: ChildProcess | null;
  /** Processes: what was sent before the worker listened. A port keeps such messages itself. */
  private backlog: (WorkRequest | AbortRequest)[] | null = null;
  private referenced = false;
  private gone = false;
  /** Whether the worker has loaded the task module. */
  isReady = false;
  /** The last error the dying worker reported, for the crash message. */
  private lastError: unknown;

  constructor(settings: SlotSettings, events: LinkEvents) {
    const connect: ConnectRequest = { module: settings.moduleUrl };
    let transferList: TransferListItem[] | undefined;
    if (settings.runtime === 'worker_threads') {
      const { port1, port2 } = new MessageChannel();
      this.port = port1;
      port1.on('message', (message: unknown) => {
        if (isWorkResponse(message)) events.response(this, message);
      });
      port1.unref();
      connect.port = port2;
      transferList = [port2];
    } else {
      this.backlog = [];
    }
    this.worker = startWorker(settings.start, connect, transferList);
    this.child = this.worker.child;
    this.worker.connected.then(
      (response) => this.connected(response, events),
      (error: unknown) => {
        if (!this.dying()) events.connectFailed(this, error);
      },
    );
    this.watch(events);
  }

  /** Sends a message; throws what the port throws for a value that cannot be cloned. */
  send(message: WorkRequest | AbortRequest, transfer?: readonly TransferListItem[]): void {
    if (this.gone) return;
    if (this.port) this.port.postMessage(message, transfer as TransferListItem[] | undefined);
    else if (this.backlog) this.backlog.push(message);
    else if (this.child?.connected) this.child.send(message, () => {});
  }

  /** Keeps this process alive while the worker has tasks (tinypool thinks it idle). */
  setReferenced(referenced: boolean): void {
    this.referenced = referenced;
    if (referenced) {
      this.port?.ref();
      this.child?.channel?.ref();
    } else {
      this.port?.unref();
      this.child?.channel?.unref();
    }
  }

  /** Ends the worker; resolves once it has exited. */
  close(): Promise<void> {
    this.gone = true;
    this.port?.close();
    return this.worker.destroy();
  }

  private connected(response: ConnectResponse, events: LinkEvents): void {
    const backlog = this.backlog;
    this.backlog = null;
    if (backlog) for (const message of backlog) this.send(message);
    // tinypool unreferences a worker once its own task is done; ours may still be running.
    this.setReferenced(this.referenced);
    if (this.gone) return;
    if ('error' in response) {
      events.connectFailed(this, deserializeError(unpack(response.error)));
      return;
    }
    this.isReady = true;
    events.loaded(this, response.shape);
  }

  private dying(): boolean {
    const child = this.child;
    return (
      this.lastError !== undefined ||
      (child !== null && (child.exitCode !== null || child.signalCode !== null))
    );
  }

  /** Watches the worker, so that its death fails its task. */
  private watch(events: LinkEvents): void {
    this.worker.onError((error) => {
      this.lastError = error;
    });
    this.child?.on('message', (message: unknown) => {
      if (isWorkResponse(message)) events.response(this, message);
      else if (isCrashReport(message)) this.lastError = deserializeError(unpack(message));
    });
    this.worker.onExit((code, signal) => {
      if (this.gone) return;
      this.gone = true;
      events.exited(this, code, signal, this.lastError);
    });
  }
}

/** A task the slot holds: running, or staged behind the running one. */
interface InFlight {
  request: TaskRequest;
  transfer: readonly TransferListItem[] | undefined;
  task: RunningTask;
  /** The id of its latest posting, and the worker it went to (null: not posted). */
  id: number;
  link: WorkerLink | null;
  settled: boolean;
  /** Whether the core has been told it started (see reportStart). */
  reported: boolean;
  /** Set once its signal fired. */
  stopReason?: { reason: unknown };
  resolve(value: WorkResponse): void;
  reject(error: unknown): void;
  graceTimer?: ReturnType<typeof setTimeout>;
}

let nextRequestId = 1;

/**
 * One worker's place in the pool. The slot always knows which task its worker runs: that lets it
 * fail exactly that task when the worker dies (tinypool alone never settles a task whose thread
 * called process.exit), and terminate exactly that worker when its task outlives its grace period.
 *
 * A slot may also hold staged tasks: posted to the worker ahead of time (the worker runs its
 * tasks one after another), so that each starts without waiting for a message round trip. If the
 * worker dies first, the staged tasks, which never started, go to the next worker.
 */
export class WorkerSlot implements LinkEvents {
  private link: WorkerLink | null = null;
  private current: InFlight | null = null;
  /** In the order the worker runs them. */
  private readonly staged: InFlight[] = [];
  private busy = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Callers of ready() waiting for the worker. */
  private readyWaiters: { resolve(): void; reject(error: unknown): void }[] = [];
  private closing = false;

  /**
   * `keepWarm`: a worker is started at once and again whenever one ends (a crash, a timeout,
   * isolateWorkers), and idleTimeout does not end it (minWorkers).
   */
  constructor(
    private readonly settings: SlotSettings,
    private readonly keepWarm = false,
  ) {
    if (keepWarm) this.startWorker();
  }

  /** Starts the worker if there is none; resolves once it has loaded the task module. */
  ready(): Promise<void> {
    if (this.closing) return Promise.reject(new ExecutorClosedError());
    if (this.startWorker().isReady) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /**
   * Starts the worker if there is none, without waiting for it, as an idle one: idleTimeout counts
   * from now. What a pool's first task does for the slots it does not use.
   */
  warm(): void {
    if (this.closing || this.link) return;
    this.startWorker();
    this.armIdleTimer();
  }

  private startWorker(): WorkerLink {
    if (!this.link) {
      this.link = new WorkerLink(this.settings, this);
      this.link.setReferenced(this.busy);
    }
    return this.link;
  }

  loaded(link: WorkerLink, shape: TaskModuleShape): void {
    if (link !== this.link) return;
    this.settings.shape = shape;
    for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
    if (this.current) this.reportStart(this.current);
  }

  /** Tells the core that the running task starts, once it is in a worker that has loaded the module. */
  private reportStart(inFlight: InFlight): void {
    if (inFlight.reported || inFlight.settled || !this.link?.isReady || inFlight.link !== this.link) return;
    inFlight.reported = true;
    inFlight.task.started();
  }

  /** How many tasks the slot holds: 0 when idle, else the running one and those staged. */
  get load(): number {
    return this.current ? 1 + this.staged.length : 0;
  }

  /** Runs the request now if the slot is idle, or stages it behind the running task. */
  run(
    request: TaskRequest,
    task: RunningTask,
    transfer?: readonly TransferListItem[],
  ): Promise<WorkResponse> {
    return new Promise<WorkResponse>((resolve, reject) => {
      const inFlight: InFlight = {
        request,
        transfer,
        task,
        id: 0,
        link: null,
        settled: false,
        reported: false,
        resolve,
        reject,
      };
      this.setBusy(true);
      if (this.current === null) {
        this.current = inFlight;
        task.placed();
        this.post(inFlight);
        this.reportStart(inFlight);
      } else {
        this.staged.push(inFlight);
        this.postStaged();
      }
      if (!inFlight.settled) task.onAbort((reason) => this.stop(inFlight, reason));
    });
  }

  /** Terminates the worker, if any, and resolves once it has exited. */
  close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.idleTimer);
    this.discard(true);
    const closed = new ExecutorClosedError('executor shut down before its worker was ready');
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(closed);
    return Promise.all([...this.settings.exiting]).then(() => {});
  }

  response(link: WorkerLink, response: WorkResponse): void {
    if (link !== this.link) return;
    const inFlight =
      this.current?.id === response.id ? this.current : this.staged.find((s) => s.id === response.id);
    if (inFlight && inFlight.link === link) this.settle(inFlight, true, response);
  }

  /** A worker exited without being asked to: fail its running task, if any; staged ones go on. */
  exited(link: WorkerLink, exitCode: number | null, signal: NodeJS.Signals | null, cause: unknown): void {
    if (link !== this.link) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    const crash = (what: string) =>
      new WorkerCrashedError(`worker ${how} ${what}${why}`, { exitCode, signal, cause });
    if (!link.isReady)
      for (const waiter of this.readyWaiters.splice(0)) waiter.reject(crash('while starting'));
    this.discard(false);
    const inFlight = this.current;
    if (inFlight) this.settle(inFlight, false, crash('while running the task'));
  }

  /** The worker could not take its channel: every task held here fails with that error. */
  connectFailed(link: WorkerLink, error: unknown): void {
    if (link !== this.link) return;
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(error);
    this.discard(true);
    const held = this.staged.splice(0);
    if (this.current) held.unshift(this.current);
    for (const inFlight of held) this.settle(inFlight, false, error);
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
    return inFlight.link !== null && inFlight.link === this.link;
  }

  private post(inFlight: InFlight): void {
    const link = this.startWorker();
    const id = nextRequestId++;
    inFlight.id = id;
    inFlight.link = link;
    try {
      link.send({ $forkroad: 'work', id, ...inFlight.request }, inFlight.transfer);
    } catch (error) {
      const failure =
        error instanceof Error && error.name === 'DataCloneError'
          ? new SerializationError(`task arguments could not be cloned: ${error.message}`, { cause: error })
          : error;
      inFlight.link = null;
      this.settle(inFlight, false, failure);
    }
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
    if (this.current === null) this.setBusy(false);
    if (ok) inFlight.resolve(value as WorkResponse);
    else inFlight.reject(value);
  }

  /** The running task ended: the first staged one, if any, runs now (posted already, or now). */
  private startStaged(): void {
    const next = this.staged.shift();
    if (!next) return;
    this.current = next;
    next.task.placed();
    if (!this.postedHere(next)) this.post(next);
    this.reportStart(next);
    if (next.settled) return;
    this.postStaged();
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
    this.link?.send({
      $forkroad: 'abort',
      id: inFlight.id,
      ...packError(reason, this.settings.runtime === 'child_process'),
    });
    // A staged task is skipped by its worker; only a running one can outstay its grace period.
    if (this.current !== inFlight) return;
    inFlight.graceTimer = setTimeout(() => {
      if (inFlight.settled || this.current !== inFlight) return;
      this.discard(true);
      this.settle(inFlight, false, reason);
    }, this.settings.terminateGraceMs);
  }

  /** Busy: the worker keeps this process alive. Idle: it may, after idleTimeout, exit. */
  private setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.link?.setReferenced(busy);
    clearTimeout(this.idleTimer);
    if (!busy) this.armIdleTimer();
  }

  private armIdleTimer(): void {
    const idleMs = this.settings.idleTimeoutMs;
    if (idleMs !== null && this.link && !this.keepWarm) {
      this.idleTimer = setTimeout(() => this.discard(true), idleMs);
      this.idleTimer.unref();
    }
  }

  /**
   * Forgets the current worker; `terminate` also ends it (for a worker that is still alive) and
   * records its exit for shutdown to wait for.
   */
  private discard(terminate: boolean): void {
    const link = this.link;
    this.link = null;
    // Kept warm: the next worker starts now, not with the next task (after the current settles).
    // (A worker that died while starting is not: the next task starts one, or a crash loop would.)
    if (this.keepWarm && !this.closing && link?.isReady)
      queueMicrotask(() => {
        if (!this.closing) this.startWorker();
      });
    if (!link || !terminate) return;
    const exiting: Promise<void> = link.close().then(
      () => {
        this.settings.exiting.delete(exiting);
      },
      () => {
        this.settings.exiting.delete(exiting);
      },
    );
    this.settings.exiting.add(exiting);
  }
}

/** The value of a response, or the error it carries. */
export function unwrap(response: WorkResponse): unknown {
  if (!response.ok) throw failureOf(response);
  return unpack(response);
}

/** The error a failed response carries. */
export function failureOf(response: WorkResponse): unknown {
  return deserializeError(unpack(response));
}
