// Kinds of this process's own threads, for classifyFunction. Node ≥ 22 names its threads; Node 20
// does not, so the libuv pool is found by starting it (its threads appear at its first job).
import { pbkdf2 } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { threadPoolSize } from './capacity.js';
import { listTasks, readComm, readThreadsSchedstat } from './procfs.js';
import { threadKinds } from './thread-kinds.js';
import type { ThreadKind } from './types.js';

/** `--v8-pool-size` from the command line or NODE_OPTIONS (Node's default is 4). */
function v8PoolSize(): number {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (const f of flags) {
    const m = /^--v8-pool-size=(\d+)$/.exec(f);
    if (m) return Number(m[1]);
  }
  return 4;
}

const poolTids = new Set<number>();
let poolProbed = false;

const namesSayKinds = () => listTasks('self').some((tid) => readComm(process.pid, tid) === 'libuv-worker');

/**
 * Finds libuv's pool threads where they are unnamed (Node 20), once per process: the threads that
 * appear when the pool starts, or, when it was already running, the threads that ran a few
 * short jobs given to the pool (about 20 ms of CPU, once).
 */
export async function discoverThreadPool(): Promise<void> {
  if (poolProbed || process.platform !== 'linux') return;
  poolProbed = true;
  const before = new Set(listTasks('self'));
  await stat(process.execPath).catch(() => undefined);
  for (const tid of listTasks('self')) if (!before.has(tid)) poolTids.add(tid);
  if (poolTids.size > 0 || namesSayKinds()) return;
  const s0 = readThreadsSchedstat('self');
  const jobs = Array.from(
    { length: 2 * threadPoolSize() },
    () => new Promise<void>((resolve) => pbkdf2('forkroad', 'pool', 2000, 32, 'sha256', () => resolve())),
  );
  await Promise.all(jobs);
  for (const [tid, s1] of readThreadsSchedstat('self')) {
    if (tid === process.pid) continue;
    if (s1.execNs - (s0.get(tid)?.execNs ?? 0) >= 0.5e6) poolTids.add(tid);
  }
}

/** The pool threads found by {@link discoverThreadPool} (sent to the isolate worker). */
export const knownPoolTids = (): number[] => [...poolTids];

const cache = new Map<number, ThreadKind>();

/** The kind of each thread of this process, by thread id. */
export function selfThreadKinds(
  tids: Iterable<number>,
  pool: Iterable<number> = poolTids,
): Map<number, ThreadKind> {
  const ids = [...tids];
  if (ids.some((tid) => !cache.has(tid))) {
    const named = listTasks('self').map((tid) => ({ tid, name: readComm(process.pid, tid) ?? '?' }));
    const kinds = threadKinds(process.pid, named, 'node', v8PoolSize());
    const poolSet = new Set(pool);
    for (const [tid, kind] of kinds)
      cache.set(tid, poolSet.has(tid) && kind === 'other' ? 'thread-pool' : kind);
  }
  const out = new Map<number, ThreadKind>();
  for (const tid of ids) out.set(tid, cache.get(tid) ?? 'other');
  return out;
}
