/**
 * Every contact forkroad has with tinypool, in one place. tinypool starts, configures
 * (`resourceLimits`, `env`, `execArgv`, stdio) and terminates the workers, and runs one task on
 * each, `connect` (see worker-entry.ts); everything else travels on forkroad's own channel.
 *
 * Through tinypool's public API: `new Tinypool(options)`, `run`, `destroy`, the pool's `'error'`
 * event, and `pool.threads` (its `TinypoolWorker`s) with their declared `on`/`once`, which forward
 * a thread's `'error'` and `'exit'` events and a child process's `'close'`.
 *
 * Not through it: the `ChildProcess` behind a `child_process` worker, read from the undeclared
 * field `threads[0].process`. forkroad needs it because a child's IPC channel is its task channel
 * (`send`, `'message'`, `channel.ref()`; tinypool's declared `on('message')` swallows messages
 * that are not its own) and because crash detection reads the child's `exitCode`/`signalCode`.
 * That is why package.json pins tinypool to `~2.2.0` (patch releases only), and why
 * `childProcessOf` checks the field's shape and throws a message naming this file when it changes;
 * test/tinypool-seam.test.ts fails on such a release before anything else does.
 */
import type { ChildProcess } from 'node:child_process';
import type { ResourceLimits, TransferListItem } from 'node:worker_threads';
import Tinypool from 'tinypool';
import type { ConnectRequest, ConnectResponse } from './protocol.js';

export type Runtime = 'worker_threads' | 'child_process';

/** How a worker is started. */
export interface WorkerStart {
  runtime: Runtime;
  resourceLimits?: ResourceLimits | undefined;
  execArgv?: string[] | undefined;
  /** Child processes: their whole environment. */
  env?: Record<string, string> | undefined;
}

/** The longest a timer can wait: "never" for tinypool's idle timeout. */
const forever = 2 ** 31 - 1;

const workerEntry = new URL('./worker-entry.js', import.meta.url).href;

/** One worker, started by a one-worker tinypool, with `connect` already sent to it. */
export interface StartedWorker {
  /** `connect`'s answer: the module's shape, or why it did not load. */
  readonly connected: Promise<ConnectResponse>;
  /** Child processes: the child, whose IPC channel carries the tasks; null for a thread. */
  readonly child: ChildProcess | null;
  /** A thread's 'error' events (the error it dies of). */
  onError(listener: (error: unknown) => void): void;
  /** The worker is gone: a thread's 'exit'; a child's 'close' (its IPC pipe drained). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Terminates the worker; resolves once it has exited. */
  destroy(): Promise<void>;
}

export function startWorker(
  start: WorkerStart,
  connect: ConnectRequest,
  transferList: TransferListItem[] | undefined,
): StartedWorker {
  const pool = new Tinypool({
    filename: workerEntry,
    runtime: start.runtime,
    minThreads: 0,
    maxThreads: 1,
    // tinypool runs one task per worker, the one that hands over the channel; tasks go on that
    // channel, so tinypool must not park the thread in Atomics.wait, nor retire it.
    useAtomics: false,
    idleTimeout: forever,
    resourceLimits: start.resourceLimits,
    execArgv: start.execArgv,
    env: start.env,
    serialization: 'json',
  });
  // tinypool reports a worker that dies while idle as an 'error' event; unheard, it would crash
  // the parent. The exit listener (onExit) does what needs doing.
  pool.on('error', () => {});
  const connected = pool.run(connect, { name: 'run', transferList }) as Promise<ConnectResponse>;
  // run() has started the worker: it is tinypool's only one.
  const worker = pool.threads[0];
  if (worker === undefined) throw new Error(tinypoolChanged('pool.threads[0] is missing after run()'));
  const child = start.runtime === 'child_process' ? childProcessOf(worker) : null;
  return {
    connected,
    child,
    onError(listener) {
      if (child === null) worker.on('error', listener);
    },
    onExit(listener) {
      // 'close', not 'exit', for a child: its last results and crash report may still be in the pipe.
      worker.once(child === null ? 'exit' : 'close', (code: number | null, signal?: NodeJS.Signals | null) =>
        listener(code, signal ?? null),
      );
    },
    destroy: () => pool.destroy(),
  };
}

/** The child process behind a tinypool `child_process` worker: the one undeclared field we read. */
export function childProcessOf(worker: object): ChildProcess {
  const child = (worker as { process?: unknown }).process;
  const looksRight =
    typeof child === 'object' &&
    child !== null &&
    typeof (child as ChildProcess).send === 'function' &&
    typeof (child as ChildProcess).on === 'function' &&
    typeof (child as ChildProcess).pid === 'number' &&
    'exitCode' in child &&
    'signalCode' in child;
  if (!looksRight)
    throw new Error(tinypoolChanged('a child_process worker no longer has its ChildProcess as `.process`'));
  return child as ChildProcess;
}

function tinypoolChanged(what: string): string {
  return (
    `@forkroad/worker-pool: the installed tinypool does not match what forkroad relies on: ${what}. ` +
    'Crash detection and task messaging of @forkroad/processes depend on it; keep tinypool within ' +
    "the range pinned in @forkroad/worker-pool's package.json, or update src/tinypool-seam.ts."
  );
}
