import type { Backend } from './backend.js';
import { createMapIterator } from './map.js';
import { Scheduler } from './scheduler.js';
import type {
  Executor,
  ExecutorStats,
  MapOptions,
  ShutdownOptions,
  SubmitOptions,
  TaskArgs,
  TaskInput,
  TaskName,
  TaskResult,
} from './types.js';
import { checkTaskName, type ResolvedExecutorOptions } from './validate.js';

export { stageBelowMs } from './scheduler.js';

/**
 * The executor every backend returns: the contract's members over the shared scheduling core
 * (queue, concurrency, timeouts, aborts, the lazy map, stats, shutdown). A backend only says how
 * to run a task (`Backend`); `batchesPayOff` says whether `map`'s `chunkSize: 'auto'` should
 * batch, which pays off only where each call costs a message.
 */
export class ExecutorCore<M> implements Executor<M> {
  readonly #scheduler: Scheduler;

  constructor(backend: Backend, options: ResolvedExecutorOptions, batchesPayOff: boolean) {
    this.#scheduler = new Scheduler(backend, options, batchesPayOff);
  }

  submit<N extends TaskName<M>>(
    name: N,
    args: TaskArgs<M, N>,
    options?: SubmitOptions,
  ): Promise<TaskResult<M, N>> {
    return this.#scheduler.submit(name, args, options) as Promise<TaskResult<M, N>>;
  }

  map<N extends TaskName<M>>(
    name: N,
    inputs: Iterable<TaskInput<M, N>> | AsyncIterable<TaskInput<M, N>>,
    options?: MapOptions,
  ): AsyncIterableIterator<TaskResult<M, N>> {
    checkTaskName(name);
    return createMapIterator(this.#scheduler, name, inputs, options) as AsyncIterableIterator<
      TaskResult<M, N>
    >;
  }

  ready(): Promise<void> {
    return this.#scheduler.ready();
  }

  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.#scheduler.shutdown(options);
  }

  stats(): ExecutorStats {
    return this.#scheduler.stats();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#scheduler.shutdown();
  }
}
