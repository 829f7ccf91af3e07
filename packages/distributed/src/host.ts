import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  CancelledError,
  type Executor,
  type ModuleReference,
  resolveExecutorOptions,
  taskModuleUrl,
  WorkerCrashedError,
} from '@forkroad/executor';
import { createExecutor as createProcessesExecutor, type ProcessesOptions } from '@forkroad/processes';
import { createExecutor as createThreadsExecutor, type ThreadsOptions } from '@forkroad/threads';
import { type ConnectionOptions, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type BatchOutcome,
  encodeOutcome,
  encodeStarted,
  type JobData,
  type Outcome,
  payloadOf,
} from './codec.js';
import { type Connection, connect, describe, disconnect, redisOptions } from './connection.js';
import { type QueueKeys, queueKeys } from './keys.js';
import { heartbeat, lockSettings } from './settings.js';

export interface HostOptions {
  /** Where Redis is: ioredis options such as `{ host, port }`, or a `redis://` URL. */
  connection: Connection;
  /** The queue's name: the producers' `queue`. */
  queue: string;
  /** The task module this host runs: a URL, a file URL string or an absolute path. */
  module: ModuleReference;
  /** Tasks this host runs at once, each on a worker of its own. Default: `os.availableParallelism()`. */
  concurrency?: number;
  /** Where tasks run on this machine: worker threads (default) or child processes. */
  runtime?: 'threads' | 'processes';
  /** Options for the local executor (`resourceLimits`, `env`, `execArgv`, …), without `concurrency`. */
  local?: Omit<ThreadsOptions & ProcessesOptions, 'concurrency' | 'maxQueue' | 'timeout'>;
}

/** What one host has done since it started. */
export interface HostStats {
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Jobs this host picked up after another host died with them. */
  reruns: number;
}

/** What a live host publishes about itself (see the producer's `fleet()`). */
export interface HostInfo {
  id: string;
  hostname: string;
  pid: number;
  concurrency: number;
  running: number;
  startedAt: number;
}

export interface Host extends AsyncDisposable {
  readonly id: string;
  stats(): HostStats;
  /**
   * Stops taking jobs, lets the running ones finish (their results are delivered), then stops its
   * workers. A host that is killed instead loses nothing either: its jobs run again elsewhere.
   */
  close(): Promise<void>;
}

/**
 * The longest an aborted task's outcome waits for the task to stop: the local executor replaces a
 * worker whose task ignores its signal after half a second.
 */
const lingerMs = 3_000;

/** How long a cancel for a job not running here is remembered, and how many before pruning. */
const unclaimedCancelMs = 10_000;
const unclaimedCancelsKept = 1_000;

/** Tasks shorter than this (on average) are taken two per worker: see paceBy. */
const prefetchBelowMs = 2;

/**
 * The longest a start report waits for the local workers to be ready. A module load takes well
 * under that; the bound is for the local executor's ready(), which was seen (rarely, right after a
 * worker was terminated) to stay pending: the task's clock then starts this much late.
 */
const readyWaitMs = 2_000;

const cancelledByProducer = () => new CancelledError('cancelled by its producer');

/** Thrown to BullMQ after a failed task's outcome is delivered, so BullMQ counts the job failed. */
class TaskFailed extends Error {}

const hostOptionKeys = ['connection', 'queue', 'module', 'concurrency', 'runtime', 'local'];

/**
 * Runs the tasks of `queue` on this machine until closed. Tasks run on a local worker-thread (or
 * child-process) executor, so a producer's cancel or timeout really stops them, and nothing
 * outlives the host: its workers die with it.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`startHost: options must be an object, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!hostOptionKeys.includes(key))
      throw new TypeError(`startHost: unknown option '${key}' (known options: ${hostOptionKeys.join(', ')})`);
  }
  const host = new TaskHost(options);
  await host.start();
  return host;
}

class TaskHost implements Host {
  readonly id = randomUUID();
  private readonly keys: QueueKeys;
  private readonly concurrency: number;
  private readonly local: Executor;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly worker: Worker;
  /** The jobs running here, by id: a cancel aborts them. */
  private readonly running = new Map<string, AbortController>();
  /** Cancels heard for jobs not running here, by when: see cancel(). */
  private readonly unclaimedCancels = new Map<string, number>();
  private readonly counts = { completed: 0, failed: 0, cancelled: 0, reruns: 0 };
  /** Recent task duration here (exponential mean, ms), NaN until one has finished: see paceBy. */
  private recentMs = Number.NaN;
  /** Local calls and batches whose callers wait: what the local executor's running tasks should be. */
  private readonly inFlight = { calls: 0, batches: 0 };
  private readonly startedAt = Date.now();
  private beat: ReturnType<typeof setInterval> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private lastBeat = 0;
  private beating: Promise<void> = Promise.resolve();
  private stopped = false;
  private closing: Promise<void> | null = null;

  constructor(options: HostOptions) {
    const queue = checkQueueName(options.queue);
    const connection = redisOptions(options.connection);
    const moduleUrl = taskModuleUrl(options.module);
    this.concurrency = resolveExecutorOptions(
      { concurrency: options.concurrency },
      [],
      'startHost',
    ).concurrency;
    const runtime = options.runtime ?? 'threads';
    if (runtime !== 'threads' && runtime !== 'processes')
      throw new TypeError(`startHost: runtime must be 'threads' or 'processes', got ${describe(runtime)}`);
    const localOptions = { ...options.local, concurrency: this.concurrency };
    this.local =
      runtime === 'threads'
        ? createThreadsExecutor(moduleUrl, localOptions)
        : createProcessesExecutor(moduleUrl, localOptions);
    this.keys = queueKeys(queue);
    this.redis = connect(connection, `forkroad-host:${this.id}`);
    this.subscriber = connect(connection, `forkroad-host-cancels:${this.id}`);
    // BullMQ runs its commands for this worker on our client, so the outcome we push and BullMQ's
    // "job done" travel on one connection, in that order: the push need not be waited for.
    this.worker = new Worker(queue, (job) => this.process(job), {
      connection: this.redis as unknown as ConnectionOptions,
      concurrency: this.concurrency,
      autorun: false,
      ...lockSettings,
    });
    // A job whose hosts kept dying: BullMQ fails it without running it; its producer must hear.
    this.worker.on('failed', (job, error) => {
      if (job && !(error instanceof TaskFailed)) void this.reportStalledOut(job, error);
    });
    // BullMQ reports connection trouble here; it reconnects by itself, and so do we.
    this.worker.on('error', () => {});
    this.redis.on('error', () => {});
    this.subscriber.on('error', () => {});
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel, jobId: string) => this.cancel(jobId));
    // After a reconnect, a cancel published meanwhile was missed: the flags still say.
    this.subscriber.on('ready', () => void this.recheckCancels());
    await this.subscriber.subscribe(this.keys.cancelChannel);
    await this.worker.waitUntilReady();
    // Start the workers now (the first tasks need not wait for them). A module that fails to load
    // is not the host's failure: each task reports it to its caller.
    this.local.ready().catch(() => {});
    await this.sayAlive();
    this.beat = setInterval(() => {
      this.beating = this.sayAlive();
    }, heartbeat.everyMs);
    this.beat.unref();
    void this.worker.run();
  }

  stats(): HostStats {
    return { running: this.running.size, ...this.counts };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.worker.close();
      await this.local.shutdown({ cancelPending: true });
      // No word of life after the goodbye: stop beating, let a beat on its way land, then leave.
      this.stopped = true;
      clearInterval(this.beat);
      clearTimeout(this.soon);
      await this.beating;
      await this.redis.del(this.keys.host(this.id)).catch(() => {});
      await Promise.all([disconnect(this.redis), disconnect(this.subscriber)]);
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async process(job: Job<JobData>): Promise<void> {
    const id = job.id!;
    const data = job.data;
    const reruns = job.stalledCounter ?? 0;
    if (reruns > 0) this.counts.reruns++;
    const controller = new AbortController();
    this.running.set(id, controller);
    this.changed();
    const started = performance.now();
    let outcome: Outcome;
    try {
      if (this.unclaimedCancels.delete(id)) controller.abort(cancelledByProducer());
      // A job picked up again after its host died may have been cancelled long ago: ask Redis.
      // If its producer times it, say when it starts. The task waits for neither.
      if (reruns > 0) void this.checkCancelled(id, controller);
      if (data.s) void this.reportStart(id, data.p);
      const value = await this.runLocally(data, controller.signal);
      outcome = { id, ok: true, value, reruns, durationMs: performance.now() - started };
      this.counts.completed++;
      this.paceBy(outcome.durationMs);
    } catch (error) {
      outcome = { id, ok: false, value: error, reruns, durationMs: performance.now() - started };
      if (controller.signal.aborted || error instanceof CancelledError) this.counts.cancelled++;
      else this.counts.failed++;
      // Its producer's slot stays taken until the task has really stopped here.
      if (controller.signal.aborted) await this.untilStopped();
    } finally {
      this.running.delete(id);
      this.changed();
    }
    // The outcome goes to the producer before BullMQ hears the job is done (the same connection
    // keeps the order): a host that dies in between runs it again (a duplicate outcome is
    // ignored), and never loses it. A push that fails leaves the job unfinished: it runs again.
    this.redis.lpush(this.keys.results(data.p), encodeOutcome(outcome, data.b === 1)).catch(() => {});
    if (!outcome.ok) throw new TaskFailed('task failed; its producer has the error');
  }

  private async runLocally(data: JobData, signal: AbortSignal): Promise<unknown> {
    if (data.k === 'ready') return this.local.ready();
    // An empty map asks the local backend whether the task exists (a TypeError if not).
    if (data.k === 'check') return this.local.map(data.n, []).next();
    const payload = payloadOf(data);
    const place = data.b ? 'batches' : 'calls';
    this.inFlight[place]++;
    try {
      return data.b
        ? // One after another, on one worker: a batch holds one of its producer's places.
          await runBatch(
            this.local.map(data.n, payload, { chunkSize: 'auto', concurrency: 1, signal }),
            signal,
          )
        : await this.local.submit(data.n, payload, { signal });
    } finally {
      this.inFlight[place]--;
    }
  }

  /**
   * Reports the start once the local workers are ready: a worker loading the module is not running
   * it. Waits at most `readyWaitMs`: a start reported late only lengthens the task's time limit.
   */
  private async reportStart(id: string, producer: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.local.ready().catch(() => {}),
      new Promise((resolve) => {
        timer = setTimeout(resolve, readyWaitMs);
      }),
    ]);
    clearTimeout(timer);
    await this.redis.lpush(this.keys.results(producer), encodeStarted(id)).catch(() => {});
  }

  private async checkCancelled(id: string, controller: AbortController): Promise<void> {
    const flagged = await this.redis.exists(this.keys.cancelled(id)).catch(() => 0);
    if (flagged === 1) controller.abort(cancelledByProducer());
  }

  /**
   * While tasks are short, takes twice as many jobs as it has workers, so that a worker never
   * waits for Redis between two tasks (the local executor holds the extra ones staged). A staged
   * task waits at most for a short one ahead of it; long tasks go back to one job per worker, so
   * that no host holds work another could start.
   */
  private paceBy(durationMs: number): void {
    this.recentMs = Number.isNaN(this.recentMs) ? durationMs : this.recentMs * 0.8 + durationMs * 0.2;
    const wanted = this.recentMs < prefetchBelowMs ? 2 * this.concurrency : this.concurrency;
    if (this.worker.concurrency !== wanted) this.worker.concurrency = wanted;
  }

  /**
   * Resolves once no aborted task lingers on the local executor: the local caller is answered at
   * once, but a task that ignores its signal runs on until its worker is replaced (within about
   * half a second). Every local call or batch (one message, see runLocally) is running or queued
   * there; those beyond the ones still wanted here are the lingering ones. At most `lingerMs`.
   */
  private async untilStopped(): Promise<void> {
    const deadline = performance.now() + lingerMs;
    while (performance.now() < deadline) {
      const { running, queued } = this.local.stats();
      if (running + queued <= this.inFlight.calls + this.inFlight.batches) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private cancel(jobId: string): void {
    const running = this.running.get(jobId);
    if (running) {
      running.abort(cancelledByProducer());
      return;
    }
    // Not (yet) running here: the job may be on its way to this host, whose BullMQ worker has
    // taken it but not yet handed it over. Kept a little while, for process() to find.
    this.unclaimedCancels.set(jobId, performance.now());
    if (this.unclaimedCancels.size > unclaimedCancelsKept) {
      const horizon = performance.now() - unclaimedCancelMs;
      for (const [id, at] of this.unclaimedCancels) if (at < horizon) this.unclaimedCancels.delete(id);
    }
  }

  private async recheckCancels(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    const flags = await this.redis.exists(...ids.map((id) => this.keys.cancelled(id))).catch(() => 0);
    // EXISTS counts; with any set, ask each (rare: a reconnect during a cancel).
    if (flags === 0) return;
    for (const id of ids) {
      if ((await this.redis.exists(this.keys.cancelled(id)).catch(() => 0)) === 1) this.cancel(id);
    }
  }

  private async reportStalledOut(job: Job<JobData>, error: Error): Promise<void> {
    const outcome: Outcome = {
      id: job.id!,
      ok: false,
      value: new WorkerCrashedError(
        `the hosts running this task died ${job.stalledCounter} times: ${error.message}`,
      ),
      reruns: job.stalledCounter ?? 0,
      durationMs: 0,
    };
    await this.redis.lpush(this.keys.results(job.data.p), encodeOutcome(outcome)).catch(() => {});
  }

  /**
   * The running count changed: say so soon, at most every `heartbeat.soonestMs`, so that the fleet
   * view is current without a write per task.
   */
  private changed(): void {
    if (this.soon !== undefined || this.stopped) return;
    const wait = Math.max(0, this.lastBeat + heartbeat.soonestMs - performance.now());
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.beating = this.sayAlive();
    }, wait);
    this.soon.unref();
  }

  private async sayAlive(): Promise<void> {
    if (this.stopped) return;
    this.lastBeat = performance.now();
    const info: HostInfo = {
      id: this.id,
      hostname: hostname(),
      pid: process.pid,
      concurrency: this.concurrency,
      running: this.running.size,
      startedAt: this.startedAt,
    };
    await this.redis
      .set(this.keys.host(this.id), JSON.stringify(info), 'PX', heartbeat.ttlMs)
      .catch(() => {});
  }
}

/**
 * A batch's outcome: every result, or those ahead of the input that failed and its error (map
 * yields every result ahead of a failure first). A cancel is not an input's failure: it rejects.
 */
async function runBatch(results: AsyncIterable<unknown>, signal: AbortSignal): Promise<BatchOutcome> {
  const out: unknown[] = [];
  try {
    for await (const result of results) out.push(result);
  } catch (error) {
    if (signal.aborted) throw error;
    return { results: out, failure: { error } };
  }
  return { results: out };
}

export function checkQueueName(queue: unknown): string {
  if (typeof queue !== 'string' || queue === '' || queue.includes(':'))
    throw new TypeError(`queue must be a non-empty name without ':', got ${describe(queue)}`);
  return queue;
}
