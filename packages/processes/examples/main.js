// node examples/main.js (after `pnpm turbo run build --filter=@forkroad/processes`)
import { asCompleted, createExecutor, TimeoutError, WorkerCrashedError } from '@forkroad/processes';

process.env.APP_MODE = 'demo'; // workers inherit process.env (pass `env` to replace it)
const pool = createExecutor(new URL('./tasks.js', import.meta.url), { concurrency: 2 });

// One task, in another process.
console.log(await pool.submit('whoAmI', []), 'parent:', process.pid);

// Many, in parallel, results in input order.
const numbers = [112272535095293, 112582705942171, 115280095190773, 115797848077099, 1099726899285419];
for await (const prime of pool.map('isPrime', numbers)) console.log('prime?', prime);

// In the order they finish.
for await (const prime of asCompleted(numbers.map((n) => pool.submit('isPrime', [n]))))
  console.log('done:', prime);

// 100,000 tiny tasks: chunkSize 'auto' batches them so that messaging does not dominate.
const inputs = Array.from({ length: 100_000 }, (_, i) => i);
let sum = 0;
for await (const y of pool.map('square', inputs, { chunkSize: 'auto' })) sum += y;
console.log('sum of squares:', sum);

// A timeout: the caller hears at once; the task's taskSignal() fires and it stops.
try {
  await pool.submit('patientlyWait', [60_000], { timeout: 100 });
} catch (error) {
  if (error instanceof TimeoutError) console.log(`gave up after ${error.timeout} ms`);
}

// An abort: rejects with signal.reason.
const controller = new AbortController();
const waiting = pool.submit('patientlyWait', [60_000], { signal: controller.signal });
controller.abort(new Error('changed my mind'));
console.log('aborted:', await waiting.catch((reason) => reason.message));

// A crash fails only its task; the pool goes on.
const crashed = await pool.submit('crash', []).catch((error) => error);
if (crashed instanceof WorkerCrashedError) console.log('worker died:', crashed.signal);
console.log(await pool.submit('isPrime', [7]));

await pool.shutdown(); // waits for running work; every worker has exited when it resolves
