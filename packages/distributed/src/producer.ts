import { randomUUID } from 'node:crypto';
import {
  type Backend,
  type BatchCall,
  type BatchResult,
  ExecutorClosedError,
  ExecutorCore,
  type ExecutorOptions,
  type ModuleReference,
  type ResolvedExecutorOptions,
  type RunningTask,
  resolveExecutorOptions,
  type SubmitOptions,
  type TaskArgs,
  type TaskCall,
  type TaskFunction,
  type TaskName,
  type TaskResult,
  taskModuleUrl,
} from '@forkroad/executor';
import { type ConnectionOptions, type JobType, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type BatchOutcome, decodeReport, type JobData, jobData, type Outcome } from './codec.js';
import { type Connection, connect, disconnect, redisOptions } from './connection.js';
import { JobLostError } from './errors.js';
import type { HostInfo } from './host.js';
import { checkQueueName } from './host.js';
import { type QueueKeys, queueKeys } from './keys.js';
import { cancelFlagTtlSeconds, lockSettings } from './settings.js';

export interface DistributedOptions extends ExecutorOptions {
  /** Where Redis is: ioredis options such as `{ host, port }`, or a `redis://` URL. */
  connection: Connection;
  /** The queue's name; hosts started with the same name run this executor's tasks. */
  queue: string;
}

/** The fleet as Redis sees it, shared by every producer and host of the queue. */
export interface FleetStats {
  /** Jobs per BullMQ state, from every producer of the queue (finished jobs are kept for a while). */
  jobs: Record<'waiting' | 'active' | 'delayed' | 'prioritized' | 'completed' | 'failed', number>;
  /** Hosts that said they were alive within the last few seconds. */
  hosts: HostInfo[];
  /** Tasks of this client that ran again after a host died with them (at-least-once). */
  reruns: number;
}

/** Finished jobs BullMQ keeps for the fleet view; results travel apart, so nothing needs them. */
const keepFinished = { count: 1_000 };
const jobStates = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

interface Pending {
  resolve(outcome: Outcome): void;
  reject(reason: unknown): void;
  /** Absent for a question to a host (ready, check). */
  task: RunningTask | null;
}

interface Unsent {
  name: string;
  data: JobData;
  opts: {
    jobId: string;
    attempts: 1;
    removeOnComplete: typeof keepFinished;
    removeOnFail: typeof keepFinished;
  };
}

/**
 * The producer side: each task becomes a BullMQ job; hosts push each outcome to this producer's
 * own results list, read with a blocking pop. Nothing depends on BullMQ's event stream, which a
 * client can miss (it starts at `$`, and it is trimmed): a result waits in the list until read.
 */
class DistributedBackend implements Backend {
  /** Hosts say when they start a task: a task's timeout counts from then, not from its wait in Redis. */
  readonly reportsStart = true;
  readonly id = randomUUID().slice(0, 13);
  reruns = 0;
  private seq = 0;
  /** Task names a host has confirmed (checkTask). */
  private readonly knownTasks = new Set<string>();
  private readonly keys: QueueKeys;
  private readonly resultsKey: string;
  readonly queue: Queue;
  readonly redis: Redis;
  private readonly reader: Redis;
  private readonly pending = new Map<string, Pending>();
  private unsent = new Map<string, Unsent>();
  private flushing = false;
  private closed = false;
  private reading: Promise<void>;
  /** The Redis server's run_id: a new one after a reconnect means it restarted. */
  private serverRun: Promise<string | null>;

  constructor(queueName: string, connection: ReturnType<typeof redisOptions>) {
    this.keys = queueKeys(queueName);
    this.resultsKey = this.keys.results(this.id);
    this.queue = new Queue(queueName, { connection: connection as ConnectionOptions });
    this.queue.on('error', () => {});
    this.redis = connect(connection, `forkroad-producer:${this.id}`);
    this.reader = connect(connection, `forkroad-results:${this.id}`);
    this.redis.on('error', () => {});
    this.reader.on('error', () => {});
    this.serverRun = this.runId();
    this.redis.on('ready', () => void this.afterReconnect());
    this.reading = this.read();
  }

  run(call: TaskCall, task: RunningTask): Promise<unknown> {
    return this.send(call.name, call.args, false, task).then((outcome) => outcome.value);
  }

  runBatch(call: BatchCall, task: RunningTask): Promise<BatchResult> {
    return this.send(call.name, call.inputs, true, task).then((outcome) => ({
      ...(outcome.value as BatchOutcome),
      durationMs: outcome.durationMs,
    }));
  }

  /**
   * Resolves once a host of the queue has its task module loaded (so tasks can start at once),
   * rejects with the error if the module fails to load there. Waits while no host serves the queue.
   */
  async ready(): Promise<void> {
    await this.ask('ready', '');
  }

  /** Asks a host whether its task module exports a function `name` (map's empty-input check). */
  async checkTask(name: string): Promise<void> {
    if (this.knownTasks.has(name)) return;
    await this.ask('check', name);
    this.knownTasks.add(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    // Every task has settled by now; a question to a host (ready, checkTask) may still wait for one.
    const closed = new ExecutorClosedError('executor shut down before a host answered');
    for (const jobId of [...this.pending.keys()]) this.settle(jobId, (pending) => pending.reject(closed));
    this.reader.disconnect();
    await this.reading;
    await this.queue.close();
    await disconnect(this.redis);
  }

  private send(name: string, payload: unknown[], batch: boolean, task: RunningTask): Promise<Outcome> {
    // Throws SerializationError here, before anything is sent (the core rejects the call with it).
    // A start report restarts a timed task's clock and times a batch for map's chunk sizing; an
    // untimed single task needs none, and saves the message.
    const data = jobData(this.id, name, payload, batch, batch || isTimed(task));
    const { jobId, promise } = this.enqueue(name, data, task);
    task.onAbort((reason: unknown) => void this.cancel(jobId, reason));
    return promise;
  }

  private ask(question: 'ready' | 'check', name: string): Promise<Outcome> {
    if (this.closed) return Promise.reject(new ExecutorClosedError());
    return this.enqueue(name, jobData(this.id, name, [], false, false, question), null).promise;
  }

  /** Sends a job with the next flush; its outcome settles the promise. */
  private enqueue(
    name: string,
    data: JobData,
    task: RunningTask | null,
  ): { jobId: string; promise: Promise<Outcome> } {
    const jobId = `${this.id}.${++this.seq}`;
    const promise = new Promise<Outcome>((resolve, reject) =>
      this.pending.set(jobId, { resolve, reject, task }),
    );
    this.unsent.set(jobId, {
      name,
      data,
      opts: { jobId, attempts: 1, removeOnComplete: keepFinished, removeOnFail: keepFinished },
    });
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
    return { jobId, promise };
  }

  /** Adds every job sent in this turn of the event loop with one round trip. */
  private async flush(): Promise<void> {
    this.flushing = false;
    const jobs = [...this.unsent.values()];
    this.unsent = new Map();
    try {
      await this.queue.addBulk(jobs);
    } catch (error) {
      for (const job of jobs) this.settle(job.opts.jobId, (pending) => pending.reject(error));
    }
  }

  /**
   * Stops a job wherever it is: not sent yet, waiting in Redis (removed), or running on a host
   * (flagged, and the host told at once; it answers when the task has stopped).
   */
  private async cancel(jobId: string, reason: unknown): Promise<void> {
    if (this.unsent.delete(jobId)) {
      this.settle(jobId, (pending) => pending.reject(reason));
      return;
    }
    try {
      await this.redis
        .multi()
        .set(this.keys.cancelled(jobId), '1', 'EX', cancelFlagTtlSeconds)
        .publish(this.keys.cancelChannel, jobId)
        .exec();
      // A job a host holds cannot be removed; once its host has stopped it, it answers. A host
      // that died with it answers never: its lock expires, and then the job can be removed here
      // (no other host need be alive to notice).
      while (this.pending.has(jobId)) {
        if ((await this.queue.remove(jobId)) === 1) this.settle(jobId, (pending) => pending.reject(reason));
        else await new Promise((resolve) => setTimeout(resolve, lockSettings.lockDuration));
      }
    } catch {
      // Redis is away: the host that picks the job up later still sees the flag once it is set,
      // and a server that restarted empty is caught by afterReconnect.
    }
  }

  private settle(jobId: string, how: (pending: Pending) => void): void {
    const pending = this.pending.get(jobId);
    if (pending === undefined) return;
    this.pending.delete(jobId);
    how(pending);
  }

  private receive(bytes: Buffer): void {
    const outcome = decodeReport(bytes);
    if ('started' in outcome) {
      this.pending.get(outcome.id)?.task?.started();
      return;
    }
    this.settle(outcome.id, (pending) => {
      this.reruns += outcome.reruns;
      if (outcome.ok) pending.resolve(outcome);
      else pending.reject(outcome.value);
    });
  }

  /** Reads outcomes until closed: a blocking pop, then whatever else is already there. */
  private async read(): Promise<void> {
    while (!this.closed) {
      try {
        const reply = await this.reader.brpopBuffer(this.resultsKey, 0);
        if (reply === null) continue;
        this.receive(reply[1]);
        await this.drain(this.reader);
      } catch {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async drain(client: Redis): Promise<void> {
    for (;;) {
      const more = (await client.rpopBuffer(this.resultsKey, 512)) as unknown as Buffer[] | null;
      if (more === null || more.length === 0) return;
      for (const bytes of more) this.receive(bytes);
    }
  }

  private async runId(): Promise<string | null> {
    try {
      const info = await this.redis.info('server');
      return /run_id:(\w+)/.exec(info)?.[1] ?? null;
    } catch {
      return null;
    }
  }

  /**
   * After a reconnect to a server that restarted, the jobs it lost will never answer: each one
   * still pending whose job is gone (after reading any result that did arrive) rejects with
   * JobLostError.
   */
  private async afterReconnect(): Promise<void> {
    const before = await this.serverRun;
    this.serverRun = this.runId();
    const now = await this.serverRun;
    if (before === null || now === null || before === now) return;
    try {
      await this.drain(this.redis);
      const ids = [...this.pending.keys()].filter((id) => !this.unsent.has(id));
      if (ids.length === 0) return;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.exists(`${this.queue.qualifiedName}:${id}`);
      const replies = (await pipeline.exec()) ?? [];
      ids.forEach((id, i) => {
        if (replies[i]?.[1] === 0) this.settle(id, (pending) => pending.reject(new JobLostError(id)));
      });
    } catch {
      // Gone again: the next reconnect checks again.
    }
  }

  async fleet(): Promise<FleetStats> {
    const counts = await this.queue.getJobCounts(...(jobStates as unknown as JobType[]));
    const hosts: HostInfo[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.keys.hostPattern, 'COUNT', 100);
      cursor = next;
      if (keys.length > 0) {
        for (const info of await this.redis.mget(...keys)) if (info) hosts.push(JSON.parse(info) as HostInfo);
      }
    } while (cursor !== '0');
    const jobs = Object.fromEntries(
      jobStates.map((state) => [state, counts[state] ?? 0]),
    ) as FleetStats['jobs'];
    return { jobs, hosts, reruns: this.reruns };
  }
}

/**
 * `submit`'s options here: as on every backend, except `transfer`, which has no meaning between
 * machines (there is no memory to hand over: values are always copied).
 */
export interface DistributedSubmitOptions extends Omit<SubmitOptions, 'transfer'> {
  /** No meaning between machines: values are always copied. Ignored, and a type error here. */
  transfer?: never;
}

/**
 * Whether the task has a time limit, whose clock must restart when a host starts it. The core's
 * task objects carry `timeout`, though RunningTask does not promise it: without it, assume so.
 */
function isTimed(task: RunningTask): boolean {
  const timeout = (task as { timeout?: unknown }).timeout;
  return typeof timeout !== 'number' || timeout !== Number.POSITIVE_INFINITY;
}

/** The distributed executor: the shared contract, plus a view of the whole fleet. */
export class DistributedExecutor<M = Record<string, TaskFunction>> extends ExecutorCore<M> {
  readonly #backend: DistributedBackend;
  constructor(backend: DistributedBackend, options: ResolvedExecutorOptions) {
    super(backend, options, true);
    this.#backend = backend;
  }

  /**
   * Runs task `name` with `args` on a host of the queue; resolves with its result. At least once:
   * if the host running it dies, it runs again on another (see the README).
   */
  override submit<N extends TaskName<M>>(
    name: N,
    args: TaskArgs<M, N>,
    options?: DistributedSubmitOptions,
  ): Promise<TaskResult<M, N>> {
    return super.submit(name, args, options);
  }

  /** Jobs per state and live hosts, from Redis (every producer's), and this client's re-runs. */
  fleet(): Promise<FleetStats> {
    return this.#backend.fleet();
  }
}

const distributedKeys = ['connection', 'queue'];

/** Default tasks in flight from one producer: the fleet, not this machine, does the work. */
export const defaultConcurrency = 64;

/**
 * An executor whose tasks run on the hosts serving `queue` (see `startHost`), on any machine that
 * reaches the same Redis.
 *
 * `module` is the task module the hosts run, as the other backends take it; it types task names
 * and results (`createExecutor<typeof import('./tasks.js')>(url, …)`). The hosts load their own
 * copy: the queue's name is what binds them.
 */
export function createExecutor<M = Record<string, TaskFunction>>(
  module: ModuleReference,
  options: DistributedOptions,
): DistributedExecutor<M> {
  const where = '@forkroad/distributed createExecutor';
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}: options with connection and queue are required`);
  taskModuleUrl(module);
  const resolved = resolveExecutorOptions(
    { concurrency: defaultConcurrency, ...options },
    distributedKeys,
    where,
  );
  if (options.connection === undefined)
    throw new TypeError(`${where}: options.connection (Redis options or a redis:// URL) is required`);
  const queue = checkQueueName(options.queue);
  return new DistributedExecutor<M>(
    new DistributedBackend(queue, redisOptions(options.connection)),
    resolved,
  );
}
