/**
 * A five-second tour of @forkroad/async against a local HTTP server whose every answer takes a
 * while: the same task function called one by one and through an executor, map's input order,
 * asCompleted, a timeout, a cancellation, stats and shutdown.
 *
 *   pnpm --filter @forkroad/async demo
 */
// In your own code: from '@forkroad/async'.
import { asCompleted, createExecutor } from '../src/index.js';
import { startDelayServer } from './delay-server.js';
import { fetchJson } from './tasks.js';

const REQUESTS = 20;
const DELAY_MS = 200;
const CONCURRENCY = 10;

const demoStart = performance.now();
const since = (start: number) => performance.now() - start;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const millis = (ms: number) => `${Math.round(ms)} ms`;
const say = (line = '') => process.stdout.write(`${line}\n`);

const server = await startDelayServer();
// The task module, by URL: the executor imports it (tsx lets Node import the .ts file; a compiled
// project passes new URL('./tasks.js', import.meta.url)). The type argument gives submit and map
// the task names, argument and result types.
const pool = createExecutor<typeof import('./tasks.js')>(new URL('./tasks.ts', import.meta.url), {
  concurrency: CONCURRENCY,
});

try {
  say(`@forkroad/async demo: a local server at ${server.origin} answers each request after a delay`);
  say();

  const urls = Array.from({ length: REQUESTS }, (_, i) => server.url(DELAY_MS, i));
  say(`1. ${REQUESTS} requests of ${DELAY_MS} ms each`);
  let start = performance.now();
  for (const url of urls) await fetchJson(url);
  const sequential = since(start);
  say(`   one after another (plain await in a loop):   ${seconds(sequential)}`);

  start = performance.now();
  const arrivals: { id: string | null; at: number }[] = [];
  for await (const reply of pool.map('fetchJson', urls)) arrivals.push({ id: reply.id, at: since(start) });
  const mapped = since(start);
  say(
    `   pool.map with concurrency ${CONCURRENCY}:                ${seconds(mapped)}  (${(sequential / mapped).toFixed(1)}× faster)`,
  );
  say(`   results came back in input order: ${describeArrivals(arrivals)}`);
  say();

  say('2. asCompleted: results in the order they finish');
  const delays = [400, 100, 300, 50, 200];
  const pending = delays.map((ms) => pool.submit('fetchJson', [server.url(ms, `${ms}`)]));
  const finished: string[] = [];
  for await (const reply of asCompleted(pending)) finished.push(`${reply.id}`);
  say(`   submitted with delays ${delays.join(', ')} ms; finished: ${finished.join(', ')} ms`);
  say();

  say('3. a per-task timeout');
  start = performance.now();
  try {
    await pool.submit('fetchJson', [server.url(5_000, 'slow')], { timeout: 250 });
  } catch (error) {
    const err = error as Error;
    say(
      `   a 5 s request with { timeout: 250 } rejected after ${millis(since(start))}: ${err.name}: ${err.message}`,
    );
  }
  await eventually(() => pool.stats().running === 0);
  const timeoutFreed = since(start);
  const hungUp = await eventually(() => server.abandoned === 1);
  say(`   fetch had taskSignal(), so the request itself was aborted: slot free at ${millis(timeoutFreed)}`);
  say(`   (the server ${hungUp ? 'saw the client hang up' : 'did not see the client hang up'})`);
  say();

  say('4. cancelling with an AbortSignal');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  start = performance.now();
  try {
    // `wait` is a plain function: it reads taskSignal() on its first line (see tasks.ts).
    await pool.submit('wait', [5_000], { signal: controller.signal });
  } catch (error) {
    const err = error as Error;
    say(
      `   a 5 s wait, aborted at 150 ms, rejected after ${millis(since(start))} with signal.reason: ${err.name}`,
    );
  }
  await eventually(() => pool.stats().running === 0);
  say(`   the task's own taskSignal() fired and stopped its timer: slot free at ${millis(since(start))}`);
  say();

  say(`5. pool.stats(): ${JSON.stringify(pool.stats())}`);
} finally {
  await pool.shutdown();
  await server.close();
}
say(`   pool shut down, server closed; the demo took ${seconds(since(demoStart))}`);

/** "0 1 2 … 19 (0–9 by 0.29 s, 10–19 by 0.56 s)": ids in arrival order, and when each wave was in. */
function describeArrivals(list: { id: string | null; at: number }[]): string {
  const waves: string[] = [];
  for (let first = 0; first < list.length; first += CONCURRENCY) {
    const wave = list.slice(first, first + CONCURRENCY);
    waves.push(`${wave[0]!.id}–${wave.at(-1)!.id} by ${seconds(Math.max(...wave.map((item) => item.at)))}`);
  }
  return `${list.map((item) => item.id).join(' ')}\n   (${waves.join(', ')})`;
}

/** Polls `condition` every millisecond for up to `ms`; returns whether it came true. */
async function eventually(condition: () => boolean, ms = 1_000): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}
