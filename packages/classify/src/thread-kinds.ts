// What each thread is, from its name (Linux `comm`, 15 characters at most) and, for runtimes
// that leave their threads unnamed, from the order they were created in. No Node.js imports.
import type { RuntimeInfo, ThreadKind } from './types.js';

const BY_NAME: [RegExp, ThreadKind][] = [
  [/^libuv-worker$/, 'thread-pool'],
  [/^WorkerThread$/, 'worker'],
  [/^SignalInspector$/, 'inspector'],
  // V8's platform (Node ≥ 22, Chromium, Deno) and a JVM's own threads.
  [
    /^(V8Worker|V8 DefaultWorke|DelayedTaskSche|GC Thread|G1 |C[12] CompilerThre|VM Thread|VM Periodic|Sweeper thread|Common-Cleaner|Reference Handl|Finalizer$|Signal Dispatch)/,
    'runtime-helper',
  ],
];

/** The kind a thread's name says, or null when the name says nothing (it is the program's name). */
export function kindFromName(name: string): ThreadKind | null {
  for (const [pattern, kind] of BY_NAME) if (pattern.test(name)) return kind;
  return null;
}

/**
 * Node starts its platform threads before any JavaScript runs: a delayed-task scheduler, the V8
 * platform workers (`--v8-pool-size`, default 4), then the inspector's signal thread. Node 20
 * leaves them all named `node`, so their place in creation order (thread ids grow) tells them apart.
 */
export const NODE_STARTUP_HELPERS = 1 + 4;

/**
 * Kinds of the threads of one process: by name where the name says, else by creation order for
 * Node (see {@link NODE_STARTUP_HELPERS}), else `other`. `tids` need not be sorted.
 */
export function threadKinds(
  pid: number,
  threads: readonly { tid: number; name: string }[],
  runtime: RuntimeInfo['name'],
  v8PoolSize = 4,
): Map<number, ThreadKind> {
  const out = new Map<number, ThreadKind>();
  const sorted = [...threads].sort((a, b) => a.tid - b.tid);
  const main = sorted.find((t) => t.tid === pid);
  let rank = 0;
  for (const t of sorted) {
    if (t.tid === pid) {
      out.set(t.tid, 'main');
      continue;
    }
    rank++;
    const named = kindFromName(t.name);
    if (named) out.set(t.tid, named);
    else if (runtime === 'node' && main !== undefined && t.name === main.name && t.tid > pid) {
      const helpers = 1 + v8PoolSize;
      out.set(t.tid, rank <= helpers ? 'runtime-helper' : rank === helpers + 1 ? 'inspector' : 'other');
    } else out.set(t.tid, 'other');
  }
  return out;
}

/** The runtime an executable or process name belongs to. */
export function runtimeOf(executable: string | null, name: string): RuntimeInfo {
  // The executable decides when known: a pyenv shim is a shell script named `python3`.
  const base = executable === null ? null : (executable.split('/').pop() ?? '');
  const python = base === null ? /^(python|pypy)[\d.]*t?$/.test(name) : /^(python|pypy)[\d.]*t?$/.test(base);
  const node = base === null ? name === 'node' || name === 'MainThread' : /^(node|nodejs)(\d+)?$/.test(base);
  return {
    name: python ? 'python' : node ? 'node' : 'other',
    // PyPy has a GIL too; free-threaded CPython builds (python3.13t) do not.
    gil: python && !/t$/.test(base ?? name),
    executable,
  };
}

/** How each kind is described to people. */
export const THREAD_KIND_LABEL: Record<ThreadKind, string> = {
  main: 'main thread',
  'thread-pool': "libuv's thread pool",
  'runtime-helper': "the runtime's helper threads (V8 compiling and GC)",
  worker: 'worker threads',
  inspector: 'the inspector thread',
  other: 'other threads',
};

/** Whether a kind's CPU counts towards the label (runtime helpers serve the JavaScript thread). */
export const countsTowardLabel = (kind: ThreadKind): boolean => kind !== 'runtime-helper';
