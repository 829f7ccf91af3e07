/**
 * @forkroad/processes against tinypool (runtime 'child_process') and workerpool (workerType
 * 'process'), 2 worker processes each, in one process. piscina has no process mode. What is
 * measured and how: harness.ts.
 *
 *   pnpm --filter @forkroad/processes bench [--quick] [--reps N] [--json results.json]
 *
 * Run `pnpm turbo run build --filter=@forkroad/worker-pool` first: this measures dist/.
 */
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { createWorkerPoolExecutor } from '../dist/index.js';
import { type Contestant, relaunchWithoutTsxInWorkers, runBench, versionOf, workerCount } from './harness.js';

type Tasks = typeof import('./tasks.mjs');

const tasks = new URL('./tasks.mjs', import.meta.url);
const workerpoolScript = new URL('./workerpool-worker.mjs', import.meta.url);

const forkroad: Contestant = {
  id: 'forkroad',
  label: '@forkroad/processes',
  create() {
    // What @forkroad/processes's createExecutor does.
    const pool = createWorkerPoolExecutor<Tasks>('child_process', tasks, { concurrency: workerCount });
    return {
      call: (name, arg) => pool.submit(name, [arg]),
      map: (name, inputs) => pool.map(name, inputs, { chunkSize: 'auto' }),
      close: () => pool.shutdown(),
    };
  },
};

const peers: Contestant[] = [
  {
    id: 'workerpool',
    label: `workerpool ${versionOf('workerpool', import.meta.url)} (process)`,
    create() {
      const pool = workerpool.pool(fileURLToPath(workerpoolScript), {
        minWorkers: workerCount,
        maxWorkers: workerCount,
        workerType: 'process',
      });
      return { call: (name, arg) => pool.exec(name, [arg]), close: () => pool.terminate().then(() => {}) };
    },
  },
  {
    id: 'tinypool',
    label: `tinypool ${versionOf('tinypool', import.meta.url)} (child_process)`,
    create() {
      const pool = new Tinypool({
        filename: tasks.href,
        runtime: 'child_process',
        minThreads: workerCount,
        maxThreads: workerCount,
        // tinypool starts child processes with an empty environment unless given one; forkroad and
        // workerpool pass process.env. Same environment for all, so that start-up compares pools
        // (NODE_EXTRA_CA_CERTS, for one, adds tens of ms to every Node start).
        env: process.env as Record<string, string>,
      });
      return { call: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
    },
  },
];

if (!(await relaunchWithoutTsxInWorkers(new URL(import.meta.url)))) {
  await runBench({
    subject: '@forkroad/processes',
    workers: 'child processes',
    forkroad,
    peers,
    // Issue 3: "submit at least workerpool's 17.6k tasks/s", measured on an idle machine of this kind.
    reference: { id: 'workerpool', tasksPerSecond: 17_600 },
    tinyTasks: 20_000,
  });
}
