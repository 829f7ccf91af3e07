/**
 * What running async tasks through a library leaves behind in its host's own, unrelated promise
 * code (issue 10: promise hooks turned on for the whole thread), in a fresh process:
 *
 *   node host-probe.js <@forkroad/async | p-map> <awaits> <tasks>
 *
 * Times a chain of `awaits` awaits (the median of several runs, after a warm-up), creates the
 * library's executor and runs `tasks` async no-op tasks through it at concurrency 100, then times
 * the same chain again while the executor still exists. Prints one JSON line `{ beforeMs, afterMs }`.
 */
import { createExecutor } from '@forkroad/async';
import pMap from 'p-map';
import { median } from './measure.js';
import * as asyncNoopTasks from './tasks/async-noop.js';

const RUNS = 7;
const CONCURRENCY = 100;

/** The host's own code: a chain of awaits that never touches the library. */
async function chain(awaits: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < awaits; i++) total += await i;
  return total;
}

async function timeChain(awaits: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    await chain(awaits);
    times.push(performance.now() - started);
  }
  return median(times);
}

const [library, awaitsArg, tasksArg] = process.argv.slice(2);
const awaits = Number(awaitsArg);
const tasks = Number(tasksArg);
if (!Number.isSafeInteger(awaits) || !Number.isSafeInteger(tasks)) throw new Error('host-probe: bad sizes');
await chain(awaits);
const beforeMs = await timeChain(awaits);
const blanks = new Array<undefined>(tasks).fill(undefined);
let shutdown = async () => {};
if (library === '@forkroad/async') {
  const pool = createExecutor(asyncNoopTasks, { concurrency: CONCURRENCY });
  await Promise.all(blanks.map(() => pool.submit('noop', [])));
  shutdown = () => pool.shutdown();
} else if (library === 'p-map') {
  await pMap(blanks, asyncNoopTasks.noop, { concurrency: CONCURRENCY });
} else {
  throw new Error(`host-probe: unknown library ${library}`);
}
const afterMs = await timeChain(awaits);
await shutdown();
process.stdout.write(`${JSON.stringify({ beforeMs, afterMs })}\n`);
