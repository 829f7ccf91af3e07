/**
 * @forkroad/threads against piscina, tinypool and workerpool (workerType 'thread'), 2 worker
 * threads each, in one process. What is measured and how: harness.ts.
 *
 *   pnpm --filter @forkroad/threads bench [--quick] [--reps N] [--json results.json]
 *
 * Run `pnpm turbo run build --filter=@forkroad/worker-pool` first: this measures dist/.
 */

import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { createWorkerPoolExecutor } from '../dist/index.js';
import { type Contestant, relaunchWithoutTsxInWorkers, runBench, versionOf, workerCount } from './harness.js';

type Tasks = typeof import('./tasks.mjs');

const tasks = new URL('./tasks.mjs', import.meta.url);
const workerpoolScript = new URL('./workerpool-worker.mjs', import.meta.url);

const forkroad: Contestant = {
  id: 'forkroad',
  label: '@forkroad/threads',
  create() {
    // What @forkroad/threads's createExecutor does.
    const pool = createWorkerPoolExecutor<Tasks>('worker_threads', tasks, { concurrency: workerCount });
    return {
      call: (name, arg) => pool.submit(name, [arg]),
      map: (name, inputs) => pool.map(name, inputs, { chunkSize: 'auto' }),
      close: () => pool.shutdown(),
    };
  },
};

const peers: Contestant[] = [
  {
    id: 'piscina',
    label: `piscina ${versionOf('piscina', import.meta.url)}`,
    create() {
      const pool = new Piscina({ filename: tasks.href, minThreads: workerCount, maxThreads: workerCount });
      return { call: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
    },
  },
  {
    id: 'tinypool',
    label: `tinypool ${versionOf('tinypool', import.meta.url)}`,
    create() {
      const pool = new Tinypool({ filename: tasks.href, minThreads: workerCount, maxThreads: workerCount });
      return { call: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
    },
  },
  {
    id: 'workerpool',
    label: `workerpool ${versionOf('workerpool', import.meta.url)} (thread)`,
    create() {
      const pool = workerpool.pool(fileURLToPath(workerpoolScript), {
        minWorkers: workerCount,
        maxWorkers: workerCount,
        workerType: 'thread',
      });
      return { call: (name, arg) => pool.exec(name, [arg]), close: () => pool.terminate().then(() => {}) };
    },
  },
];

if (!(await relaunchWithoutTsxInWorkers(new URL(import.meta.url)))) {
  await runBench({
    subject: '@forkroad/threads',
    workers: 'worker threads',
    forkroad,
    peers,
    // Issue 3: "submit at least piscina's 32.8k tasks/s", measured on an idle machine of this kind.
    reference: { id: 'piscina', tasksPerSecond: 32_800 },
    tinyTasks: 20_000,
  });
}
