import type { OutcomeId, Runtime, Tool } from './types.js';

/** What the outcome's advice may use from the answers. */
export interface AdviceContext {
  /** The tasks in flight, when given as a number. */
  tasks: number | undefined;
  /** The program is a server answering requests. */
  server: boolean;
}

export interface Advice {
  summary: string;
  tool: Tool;
  rationale: string[];
  caveats: string[];
}

const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

const CLASSIFY: Record<Runtime, string> = {
  node: 'node app.js',
  python: 'python3 app.py',
};

const CAVEAT = {
  pythonGil:
    'Python threads give no CPU speedup under the GIL: they overlap waiting, but only one runs Python ' +
    'code at a time (C extensions that release the GIL, and free-threaded 3.13t builds, are the exceptions).',
  asyncAllTheWay: {
    python:
      'Async needs async libraries all the way down: one blocking call (requests, time.sleep, a sync ' +
      'driver) stalls every task on the event loop. Push unavoidable blocking calls to asyncio.to_thread().',
    node:
      'Async needs async APIs all the way down: one sync call (fs.*Sync, execSync, a long loop, a sync ' +
      'native addon) stalls every task on the event loop; such calls belong in @forkroad/threads.',
  },
  processCost: {
    python:
      'Processes cost start-up time and memory per worker, and every argument and result is pickled: ' +
      'send work in chunks (map(..., chunksize=...)), not tiny tasks.',
    node:
      'Processes cost start-up time and memory per worker, and every argument and result is serialized ' +
      "across the process boundary: send work in chunks (map's chunkSize), not tiny tasks.",
  },
  nodeThreadsCost:
    'Each worker thread has its own V8 heap and start-up cost, and arguments and results are copied ' +
    'by structured clone: batch small tasks (chunkSize), transfer ArrayBuffers or share a SharedArrayBuffer for big data.',
  nodeThreadsShareProcess:
    'Worker threads share the process: a segfault in native code or a thread-unsafe addon takes ' +
    'everything down. If that can happen, answer isolation "yes" for @forkroad/processes.',
  libuvPool:
    "libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise) runs async fs calls, " +
    'dns.lookup and the async forms of crypto (pbkdf2, scrypt, randomBytes with a callback) and zlib; ' +
    'their sync forms, createHash and hash.update included, run on the calling thread. Socket I/O stays ' +
    'on the event loop, but net, http and fetch resolve host names with dns.lookup, which takes a pool ' +
    'thread: lookups can queue behind slow file or crypto work.',
  fileLimit:
    'Thousands of open sockets need a higher open-file limit (ulimit -n) and a bound on tasks in flight, ' +
    'so a slow server cannot pile up requests without end.',
  threadsDontScale: {
    python:
      "Threads don't scale to thousands of tasks in flight (a stack and a scheduler slot each): the " +
      'bounded pool caps how many wait at once. To go further, switch to async libraries (aiohttp, ' +
      'httpx.AsyncClient, asyncpg) and asyncio.',
    node:
      "Worker threads don't scale to thousands (each is a V8 isolate): the bounded pool caps how many " +
      'blocking calls wait at once. To go further, use the async API of the library (fs/promises, an ' +
      'async driver) with @forkroad/async.',
  },
  atLeastOnce:
    'Delivery is at least once: a job whose worker dies is run again elsewhere, so make tasks ' +
    'idempotent (safe to run twice) and keep their arguments small (they travel serialized).',
  broker: {
    python:
      'A broker (Redis or RabbitMQ) is one more service to run, secure and monitor; the caller only ' +
      'enqueues, so results come back through a result backend or a callback, not a return value.',
    node:
      'Redis is one more service to run, secure and monitor (noeviction, so jobs are never dropped); ' +
      "a host killed mid-task is noticed only when its job's lock expires.",
  },
  serverWorkers: {
    python:
      'Each server worker is a process with its own memory and start-up; size -w to the cores (2–4 × ' +
      'cores for I/O-heavy apps with --threads), and keep long CPU jobs out of requests (a job queue).',
    node:
      'Each cluster worker is a process with its own memory; requests are spread among them, but state ' +
      'in memory (sessions, caches) is not shared: keep it in a store such as Redis.',
  },
  backpressure:
    'Keep the stages bounded so a fast I/O stage cannot queue unbounded CPU work, and size the CPU pool ' +
    'to the cores, the I/O stage to the tasks in flight.',
} as const;

const snippets = {
  nodeAsync: (concurrency: number) => `import { createExecutor } from '@forkroad/async';

// tasks.js: export async function fetchJson(url) { return (await fetch(url)).json(); }
const pool = createExecutor(new URL('./tasks.js', import.meta.url), { concurrency: ${concurrency} });
for await (const body of pool.map('fetchJson', urls)) {
  console.log(body);
}
await pool.shutdown();`,

  nodeThreadsIo: (concurrency: number) => `import { createExecutor } from '@forkroad/threads';

// tasks.js wraps the blocking call, e.g. with better-sqlite3 (a synchronous driver):
// export function query(sql) { return db.prepare(sql).all(); }
const pool = createExecutor(new URL('./tasks.js', import.meta.url), { concurrency: ${concurrency} });
const rows = await pool.submit('query', ['SELECT count(*) FROM users']);
for await (const result of pool.map('query', queries)) {
  console.log(result);
}
await pool.shutdown();`,

  nodeThreadsCpu: `import { availableParallelism } from 'node:os';
import { createExecutor } from '@forkroad/threads';

// tasks.js: export function isPrime(n) { ... }
const pool = createExecutor(new URL('./tasks.js', import.meta.url), {
  concurrency: availableParallelism(),
});
console.log(await pool.submit('isPrime', [112272535095293]));
for await (const prime of pool.map('isPrime', numbers, { chunkSize: 'auto' })) {
  console.log(prime);
}
await pool.shutdown();`,

  nodeProcesses: `import { availableParallelism } from 'node:os';
import { createExecutor } from '@forkroad/processes';

// tasks.js: export function render(job) { ... } (may call native code that can crash)
const pool = createExecutor(new URL('./tasks.js', import.meta.url), {
  concurrency: availableParallelism(),
  execArgv: ['--max-old-space-size=512'], // a memory limit per worker
});
console.log(await pool.submit('render', [firstJob]));
for await (const output of pool.map('render', jobs)) {
  console.log(output);
}
await pool.shutdown();`,

  nodeHybrid: (concurrency: number) => `import { createExecutor as createAsync } from '@forkroad/async';
import { createExecutor as createThreads } from '@forkroad/threads';

// download.js: export async function download(url) { return new Uint8Array(await (await fetch(url)).arrayBuffer()); }
// resize.js:   export function resize(bytes) { ... CPU work ... }
const io = createAsync(new URL('./download.js', import.meta.url), { concurrency: ${concurrency} });
const cpu = createThreads(new URL('./resize.js', import.meta.url));
// map() pulls its inputs lazily, so the I/O stage feeds the CPU stage with backpressure.
for await (const thumbnail of cpu.map('resize', io.map('download', urls))) {
  console.log(thumbnail.length);
}
await Promise.all([io.shutdown(), cpu.shutdown()]);`,

  pythonAsync: (limit: number) => `import asyncio

import aiohttp


async def main(urls):
    # connections in flight at once (aiohttp's default limit is 100)
    connector = aiohttp.TCPConnector(limit=${limit})
    async with aiohttp.ClientSession(connector=connector) as session:

        async def fetch(url):
            async with session.get(url) as response:
                return response.status

        return await asyncio.gather(*(fetch(url) for url in urls))


statuses = asyncio.run(main(urls))`,

  pythonThreads: (workers: number) => `from concurrent.futures import ThreadPoolExecutor

import requests


def fetch(url):
    return requests.get(url, timeout=10).status_code


with ThreadPoolExecutor(max_workers=${workers}) as pool:
    for status in pool.map(fetch, urls):
        print(status)`,

  pythonProcesses: (isolated: boolean) => `from concurrent.futures import ProcessPoolExecutor


def is_prime(n):
    ...


if __name__ == "__main__":
    with ProcessPoolExecutor(${isolated ? 'max_tasks_per_child=100' : ''}) as pool:  # one worker per core
        for prime in pool.map(is_prime, numbers, chunksize=64):
            print(prime)`,

  nodeDistributed: `import { createExecutor } from '@forkroad/distributed';

// tasks.js: export async function sendReport(userId) { ... } (idempotent: it may run twice)
const pool = createExecutor(new URL('./tasks.js', import.meta.url), {
  connection: 'redis://localhost:6379',
  queue: 'reports',
});
await pool.submit('sendReport', [userId]);
await pool.shutdown();
// on each machine that runs tasks:
//   npx forkroad host --redis redis://localhost:6379 --queue reports -- ./tasks.js`,

  pythonDistributed: `# tasks.py
from celery import Celery

app = Celery("tasks", broker="redis://localhost:6379/0", backend="redis://localhost:6379/1")


@app.task(acks_late=True)  # run again if a worker dies mid-task: keep it idempotent
def send_report(user_id):
    ...


# the caller enqueues and goes on:  send_report.delay(user_id)
# on each machine that runs tasks:  celery -A tasks worker --concurrency=4`,

  nodeCluster: `import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';

if (cluster.isPrimary) {
  // one server process per core; the primary shares the port among them
  for (let i = 0; i < availableParallelism(); i++) cluster.fork();
  cluster.on('exit', () => cluster.fork()); // replace a worker that dies
} else {
  await import('./server.js'); // your http server, unchanged
}`,

  pythonServerWorkers: (
    isolated: boolean,
  ) => `# several server processes, one per core, each with its own GIL:
gunicorn --workers 4 ${isolated ? '--max-requests 1000 ' : ''}app:app
# (uvicorn --workers 4 app:app for an ASGI app)`,

  pythonHybrid: (limit: number) => `import asyncio
from concurrent.futures import ProcessPoolExecutor


async def main(urls):
    loop = asyncio.get_running_loop()
    limit = asyncio.Semaphore(${limit})
    with ProcessPoolExecutor() as pool:

        async def handle(url):
            async with limit:
                data = await download(url)  # I/O stage: on the event loop (aiohttp, ...)
            return await loop.run_in_executor(pool, resize, data)  # CPU stage: in a process

        return await asyncio.gather(*(handle(url) for url in urls))


if __name__ == "__main__":
    asyncio.run(main(urls))`,
};

/** The outcomes where a server spreads its CPU work over server workers instead of a pool. */
const SERVER_OUTCOMES: readonly OutcomeId[] = ['cpu-parallel', 'cpu-isolated', 'hybrid'];

/** CPU work in a server: several server workers, each taking whole requests. */
function serverAdvice(outcome: OutcomeId, runtime: Runtime): Advice {
  const isolated = outcome === 'cpu-isolated';
  return runtime === 'node'
    ? {
        summary:
          'Several server processes (node:cluster), one per core; heavy handlers on @forkroad/threads.',
        tool: { name: 'node:cluster', language: 'js', snippet: snippets.nodeCluster },
        rationale: [
          'A server already has its tasks: the requests. Running several server processes spreads whole requests over the cores, without changing the handlers.',
          'A single handler that computes for long still blocks its process: move that computation to @forkroad/threads.',
        ],
        caveats: [CAVEAT.serverWorkers.node],
      }
    : {
        summary: 'Several server workers (gunicorn --workers), one process per core.',
        tool: {
          name: 'gunicorn',
          package: 'gunicorn',
          language: 'sh',
          snippet: snippets.pythonServerWorkers(isolated),
        },
        rationale: [
          'A server already has its tasks: the requests. Under the GIL one process serves one request on the CPU at a time; several worker processes serve them on every core, and the app needs no ProcessPoolExecutor inside a request.',
          ...(isolated
            ? ['--max-requests recycles a worker after that many requests, so leaks do not build up.']
            : []),
        ],
        caveats: [CAVEAT.serverWorkers.python],
      };
}

/** The advice at an outcome, for one runtime. */
export function adviceFor(outcome: OutcomeId, runtime: Runtime, ctx: AdviceContext): Advice {
  const node = runtime === 'node';
  const inFlight = ctx.tasks;
  if (ctx.server && SERVER_OUTCOMES.includes(outcome)) return serverAdvice(outcome, runtime);
  switch (outcome) {
    case 'distributed':
      return node
        ? {
            summary:
              'Distributed: a job queue on Redis with hosts on every machine, with @forkroad/distributed.',
            tool: {
              name: '@forkroad/distributed',
              package: '@forkroad/distributed',
              language: 'js',
              snippet: snippets.nodeDistributed,
            },
            rationale: [
              'A job queue keeps the work apart from the caller: the caller enqueues and goes on, hosts on any number of machines take the jobs, and a job outlives the process that queued it.',
              '@forkroad/distributed keeps the createExecutor contract (submit, map, timeouts, cancel) on BullMQ and Redis; each host runs its tasks on a local worker-thread pool.',
            ],
            caveats: [CAVEAT.atLeastOnce, CAVEAT.broker.node],
          }
        : {
            summary: 'Distributed: Celery workers on every machine, fed through a broker (Redis).',
            tool: {
              name: 'Celery',
              package: 'celery[redis]',
              language: 'python',
              snippet: snippets.pythonDistributed,
            },
            rationale: [
              'A job queue keeps the work apart from the caller: the caller enqueues and goes on, workers on any number of machines take the jobs, and a job outlives the process that queued it.',
              'Celery is the usual answer for Django/Flask background jobs; RQ and Dramatiq are smaller alternatives with the same model.',
            ],
            caveats: [CAVEAT.atLeastOnce, CAVEAT.broker.python],
          };
    case 'none':
      return {
        summary: 'No concurrency: keep the code sequential.',
        tool: {
          name: 'no concurrency',
          language: 'sh',
          snippet: `# Keep it simple. When the workload grows, measure again:\nnpx forkroad classify -- ${CLASSIFY[runtime]}`,
        },
        rationale: [
          'Sequential code is the easiest to read, test and debug; concurrency is worth its cost only when the program is too slow.',
        ],
        caveats: [
          'Re-check when the input grows: a workload that is fast enough today may not be with ten times the data.',
        ],
      };
    case 'measure':
      return {
        summary: 'Measure first: classify the workload, then ask again.',
        tool: {
          name: 'forkroad classify',
          package: 'forkroad',
          language: 'sh',
          snippet: `npx forkroad classify -- ${CLASSIFY[runtime]}\n# or measure and advise in one step:\nnpx forkroad advise --runtime ${runtime} -- ${CLASSIFY[runtime]}`,
        },
        rationale: [
          'The right model depends on whether the work waits or computes, and that is measured, not guessed: forkroad classify compares CPU time with wall time for any command, Python scripts included.',
        ],
        caveats: [
          'Measure with a representative input: a tiny input is dominated by start-up, and a cached one hides the I/O.',
        ],
      };
    case 'io-async': {
      const concurrency = inFlight ?? 100;
      return node
        ? {
            summary: 'Async: run the tasks on the event loop with @forkroad/async.',
            tool: {
              name: '@forkroad/async',
              package: '@forkroad/async',
              language: 'js',
              snippet: snippets.nodeAsync(concurrency),
            },
            rationale: [
              'Node.js I/O is asynchronous by design: one event loop keeps thousands of sockets in flight without a thread each; @forkroad/async bounds how many run at once.',
            ],
            caveats: [CAVEAT.asyncAllTheWay.node, CAVEAT.libuvPool],
          }
        : {
            summary: 'Async: asyncio with async libraries and a bound on tasks in flight.',
            tool: {
              name: 'asyncio',
              package: 'aiohttp',
              language: 'python',
              snippet: snippets.pythonAsync(concurrency),
            },
            rationale: [
              'asyncio runs every task on one thread and switches at each await: waiting costs a few kilobytes per task, not a thread, so it scales to thousands of connections.',
            ],
            caveats: [CAVEAT.asyncAllTheWay.python],
          };
    }
    case 'io-threads': {
      return node
        ? {
            summary:
              'Worker threads for the blocking calls, so the event loop stays free: @forkroad/threads.',
            tool: {
              name: '@forkroad/threads',
              package: '@forkroad/threads',
              language: 'js',
              snippet: snippets.nodeThreadsIo(clamp(inFlight ?? 8, 1, 32)),
            },
            rationale: [
              'In Node.js a synchronous call (fs.*Sync, execSync, a sync native addon) blocks the event loop and every task on it; in worker threads the blocking calls overlap and the loop stays free.',
              'Better still, if the library has an async API, use it with @forkroad/async: no threads needed.',
            ],
            caveats: [CAVEAT.nodeThreadsCost],
          }
        : {
            summary: 'Threads: ThreadPoolExecutor, one thread per blocking call in flight.',
            tool: {
              name: 'concurrent.futures.ThreadPoolExecutor',
              language: 'python',
              snippet: snippets.pythonThreads(clamp(inFlight ?? 32, 1, 256)),
            },
            rationale: [
              'A blocking call releases the GIL while it waits, so threads overlap the waits: for a handful to a few hundred calls a ThreadPoolExecutor is the simplest fit, and your blocking libraries work unchanged.',
            ],
            caveats: [CAVEAT.pythonGil],
          };
    }
    case 'io-threads-bounded': {
      return node
        ? {
            summary: 'A bounded pool of worker threads for the blocking calls, or better: async APIs.',
            tool: {
              name: '@forkroad/threads',
              package: '@forkroad/threads',
              language: 'js',
              snippet: snippets.nodeThreadsIo(32),
            },
            rationale: [
              'The calls block, so they must leave the event loop; a bounded pool of worker threads keeps a fixed number in flight and queues the rest.',
            ],
            caveats: [CAVEAT.threadsDontScale.node, CAVEAT.nodeThreadsCost],
          }
        : {
            summary:
              'A bounded ThreadPoolExecutor for the blocking calls, or better: async libraries and asyncio.',
            tool: {
              name: 'concurrent.futures.ThreadPoolExecutor',
              language: 'python',
              snippet: snippets.pythonThreads(100),
            },
            rationale: [
              'The libraries block, so asyncio cannot overlap them; a bounded ThreadPoolExecutor keeps a fixed number of calls waiting and queues the rest.',
            ],
            caveats: [CAVEAT.threadsDontScale.python, CAVEAT.pythonGil],
          };
    }
    case 'cpu-parallel':
      return node
        ? {
            summary: 'Worker threads: run the computation in parallel on every core with @forkroad/threads.',
            tool: {
              name: '@forkroad/threads',
              package: '@forkroad/threads',
              language: 'js',
              snippet: snippets.nodeThreadsCpu,
            },
            rationale: [
              'Node.js has no GIL: worker threads run JavaScript in parallel, one per core, each with its own heap; they start faster and cost less than processes, so they are the default for CPU work.',
            ],
            caveats: [CAVEAT.nodeThreadsCost, CAVEAT.nodeThreadsShareProcess],
          }
        : {
            summary: 'Processes: ProcessPoolExecutor, one worker per core.',
            tool: {
              name: 'concurrent.futures.ProcessPoolExecutor',
              language: 'python',
              snippet: snippets.pythonProcesses(false),
            },
            rationale: [
              'Under the GIL only one thread runs Python code at a time, so CPU-bound work needs processes to use more than one core: each has its own interpreter and its own GIL.',
            ],
            caveats: [CAVEAT.processCost.python, CAVEAT.pythonGil],
          };
    case 'cpu-isolated':
      return node
        ? {
            summary: 'Processes: @forkroad/processes, for parallelism with isolation.',
            tool: {
              name: '@forkroad/processes',
              package: '@forkroad/processes',
              language: 'js',
              snippet: snippets.nodeProcesses,
            },
            rationale: [
              'A child process contains what a worker thread cannot: a crash in native code fails only the task it was running, a memory limit applies per worker, and any program can run in it.',
            ],
            caveats: [CAVEAT.processCost.node],
          }
        : {
            summary: 'Processes: ProcessPoolExecutor, with workers recycled for isolation.',
            tool: {
              name: 'concurrent.futures.ProcessPoolExecutor',
              language: 'python',
              snippet: snippets.pythonProcesses(true),
            },
            rationale: [
              'CPU-bound Python needs processes anyway (the GIL), and processes also isolate memory and native code; max_tasks_per_child (Python 3.11+) recycles workers so leaks do not build up.',
            ],
            caveats: [
              CAVEAT.processCost.python,
              'A worker that dies (segfault, OOM kill) breaks the whole ProcessPoolExecutor (BrokenProcessPool): for hard isolation per task, run each task with subprocess and a resource limit.',
            ],
          };
    case 'hybrid': {
      const limit = inFlight ?? 100;
      return node
        ? {
            summary:
              'Hybrid: I/O stages on the event loop (@forkroad/async) feeding a worker-thread pool (@forkroad/threads).',
            tool: {
              name: '@forkroad/async + @forkroad/threads',
              package: '@forkroad/async @forkroad/threads',
              language: 'js',
              snippet: snippets.nodeHybrid(limit),
            },
            rationale: [
              'Each stage gets the model that fits it: the waiting overlaps on the event loop, the computing runs in parallel on worker threads, and the stages overlap each other.',
            ],
            caveats: [
              CAVEAT.backpressure,
              'If the CPU stage runs native code that may crash or needs a memory limit, use @forkroad/processes for it instead of @forkroad/threads.',
            ],
          }
        : {
            summary:
              'Hybrid: asyncio for the I/O stages, a ProcessPoolExecutor for the CPU stages (run_in_executor).',
            tool: {
              name: 'asyncio + ProcessPoolExecutor',
              language: 'python',
              snippet: snippets.pythonHybrid(limit),
            },
            rationale: [
              'Each stage gets the model that fits it: asyncio overlaps the waiting, and loop.run_in_executor() hands the computing to processes, which sidestep the GIL.',
            ],
            caveats: [
              CAVEAT.backpressure,
              'Data passed between the stages is pickled to reach the processes: pass file paths or small results, not large objects.',
            ],
          };
    }
  }
}
