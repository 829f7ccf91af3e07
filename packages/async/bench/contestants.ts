/**
 * The contestants: each runs `n` calls of one task of bench/tasks.ts with at most `concurrency` in
 * flight, the way a user of that library would write it. Setting up (creating the pool, limiter
 * or queue, allocating the inputs) and tearing down happen outside the timed region.
 */
import pLimit from 'p-limit';
import pMap from 'p-map';
import PQueue from 'p-queue';
import { createExecutor } from '../src/index.js';
import * as tasks from './tasks.js';

export type BenchTask = 'noop' | 'tick' | 'asyncNoop';

export type ContestantId = 'forkroad-submit' | 'forkroad-map' | 'p-limit' | 'p-map' | 'p-queue';

export interface PreparedRun {
  /** Runs the `n` tasks; resolves with how many results it saw, once every task has settled. */
  run(): Promise<number>;
  /** Releases what `prepare` made; not timed. */
  dispose(): Promise<void>;
}

export interface Contestant {
  id: ContestantId;
  label: string;
  prepare(task: BenchTask, n: number, concurrency: number): PreparedRun;
}

/** `map`'s and p-map's input: the tasks take no argument, so n × undefined. */
function inputs(n: number): undefined[] {
  return new Array<undefined>(n).fill(undefined);
}

const noCleanup = async (): Promise<void> => {};

/** The functions themselves, for the libraries that take a function. */
const functions: Record<BenchTask, () => void | Promise<void>> = {
  noop: tasks.noop,
  tick: tasks.tick,
  asyncNoop: tasks.asyncNoop,
};

export const contestants: readonly Contestant[] = [
  {
    id: 'forkroad-submit',
    label: 'forkroad submit',
    prepare(task, n, concurrency) {
      // The imported module object: no module loading in the timed region.
      const pool = createExecutor(tasks, { concurrency });
      return {
        async run() {
          const promises = new Array<Promise<void>>(n);
          for (let i = 0; i < n; i++) promises[i] = pool.submit(task, []);
          return (await Promise.all(promises)).length;
        },
        dispose: () => pool.shutdown(),
      };
    },
  },
  {
    id: 'forkroad-map',
    label: 'forkroad map',
    prepare(task, n, concurrency) {
      const pool = createExecutor(tasks, { concurrency });
      const items = inputs(n);
      return {
        async run() {
          let count = 0;
          for await (const _ of pool.map(task, items)) count++;
          return count;
        },
        dispose: () => pool.shutdown(),
      };
    },
  },
  {
    id: 'p-limit',
    label: 'p-limit',
    prepare(task, n, concurrency) {
      const limit = pLimit(concurrency);
      const fn = functions[task];
      return {
        async run() {
          const promises = new Array<Promise<void>>(n);
          for (let i = 0; i < n; i++) promises[i] = limit(fn);
          return (await Promise.all(promises)).length;
        },
        dispose: noCleanup,
      };
    },
  },
  {
    id: 'p-map',
    label: 'p-map',
    prepare(task, n, concurrency) {
      const fn = functions[task];
      const items = inputs(n);
      return {
        async run() {
          return (await pMap(items, fn, { concurrency })).length;
        },
        dispose: noCleanup,
      };
    },
  },
  {
    id: 'p-queue',
    label: 'p-queue',
    prepare(task, n, concurrency) {
      const queue = new PQueue({ concurrency });
      const fn = functions[task];
      return {
        async run() {
          for (let i = 0; i < n; i++) void queue.add(fn);
          await queue.onIdle();
          return n - queue.size - queue.pending;
        },
        dispose: noCleanup,
      };
    },
  },
];

export function contestant(id: ContestantId): Contestant {
  const found = contestants.find((c) => c.id === id);
  if (!found) throw new Error(`unknown contestant '${id}'`);
  return found;
}
