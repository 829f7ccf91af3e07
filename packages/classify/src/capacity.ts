// How many CPUs the work can really use: available CPUs, less what the cgroup allows and what
// everything else on the machine kept busy while the work was measured.
import os from 'node:os';
import { cgroupCpuLimit } from './procfs.js';
import type { Capacity } from './types.js';

/** Busy CPU time of the whole machine, summed over its CPUs. */
export interface CpuSnapshot {
  busyMs: number;
  hostCpus: number;
}

export function cpuSnapshot(): CpuSnapshot {
  const cpus = os.cpus();
  let busyMs = 0;
  for (const c of cpus) busyMs += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return { busyMs, hostCpus: cpus.length };
}

/**
 * Capacity left for the work during a window of `wallMs`, in which the work itself used
 * `ownCpuMs` of CPU: the rest of the machine's busy time is other load.
 */
export function measureCapacity(
  before: CpuSnapshot,
  after: CpuSnapshot,
  wallMs: number,
  ownCpuMs: number,
): Capacity {
  const availableParallelism = Math.max(1, os.availableParallelism());
  const cgroupLimit = cgroupCpuLimit();
  const hostCpus = after.hostCpus > 0 ? after.hostCpus : availableParallelism;
  const others = wallMs > 0 ? Math.max(0, after.busyMs - before.busyMs - ownCpuMs) / wallMs : 0;
  const otherLoad = Math.min(hostCpus, Math.round(others * 100) / 100);
  const cores = Math.max(
    1,
    Math.min(availableParallelism, cgroupLimit ?? Number.POSITIVE_INFINITY, hostCpus - otherLoad),
  );
  return { availableParallelism, cgroupLimit, otherLoad, cores: Math.round(cores * 100) / 100 };
}

/** libuv's thread pool size for this process. */
export function threadPoolSize(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}
