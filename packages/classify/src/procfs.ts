// Readers for Linux's /proc. Every reader returns null (or an empty list) where /proc or a
// field is missing, so callers fall back cleanly on other systems.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** USER_HZ: the unit of the tick counts in /proc/<pid>/stat. 100 on every mainstream Linux ABI. */
export const CLOCK_TICKS_PER_SECOND = 100;
export const MS_PER_TICK = 1000 / CLOCK_TICKS_PER_SECOND;

let procChecked: boolean | undefined;
/** Whether a Linux-style /proc with per-process stat files is available. */
export function hasProc(): boolean {
  if (procChecked === undefined) {
    procChecked = process.platform === 'linux' && readText('/proc/self/stat') !== null;
  }
  return procChecked;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The fields of /proc/<pid>/stat that forkroad uses. Times in clock ticks. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  utime: number;
  stime: number;
  /** CPU of children this process waited for (and, recursively, theirs). */
  cutime: number;
  cstime: number;
  numThreads: number;
  /** Start time in ticks after boot: with the pid, identifies a process across pid reuse. */
  starttime: number;
}

export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const f = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const n = (i: number): number => Number(f[i] ?? Number.NaN);
  const stat: ProcStat = {
    pid,
    state: f[0] ?? '?',
    ppid: n(1),
    utime: n(11),
    stime: n(12),
    cutime: n(13),
    cstime: n(14),
    numThreads: n(17),
    starttime: n(19),
  };
  return Number.isFinite(stat.ppid) && Number.isFinite(stat.starttime) ? stat : null;
}

export function readStat(pid: number | 'self'): ProcStat | null {
  const text = readText(`/proc/${pid}/stat`);
  return text === null ? null : parseStat(text);
}

/** On-CPU time and run-queue wait of one thread, in nanoseconds (/proc/…/schedstat). */
export interface SchedStat {
  execNs: number;
  runDelayNs: number;
}

export function parseSchedstat(text: string): SchedStat | null {
  const [exec, delay] = text.trim().split(/\s+/).map(Number);
  if (exec === undefined || delay === undefined || !Number.isFinite(exec) || !Number.isFinite(delay)) {
    return null;
  }
  return { execNs: exec, runDelayNs: delay };
}

export function readSchedstat(path: string): SchedStat | null {
  const text = readText(path);
  return text === null ? null : parseSchedstat(text);
}

/** The calling thread's schedstat: main thread, or the worker thread when called in a worker. */
export function readThreadSelfSchedstat(): SchedStat | null {
  return hasProc() ? readSchedstat('/proc/thread-self/schedstat') : null;
}

/** Thread id of the calling thread, from the /proc/thread-self link (`<pid>/task/<tid>`). */
export function selfTid(): number | null {
  if (!hasProc()) return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isFinite(tid) ? tid : null;
  } catch {
    return null;
  }
}

function numericEntries(dir: string): number[] {
  try {
    const out: number[] = [];
    for (const name of readdirSync(dir)) {
      const n = Number(name);
      if (Number.isInteger(n) && n > 0) out.push(n);
    }
    return out;
  } catch {
    return [];
  }
}

/** Every pid in /proc. */
export function listPids(): number[] {
  return numericEntries('/proc');
}

/** Thread ids of a process. */
export function listTasks(pid: number | 'self'): number[] {
  return numericEntries(`/proc/${pid}/task`);
}

/** Schedstat of every thread of a process, by thread id. */
export function readThreadsSchedstat(pid: number | 'self'): Map<number, SchedStat> {
  const out = new Map<number, SchedStat>();
  for (const tid of listTasks(pid)) {
    const s = readSchedstat(`/proc/${pid}/task/${tid}/schedstat`);
    if (s) out.set(tid, s);
  }
  return out;
}

export interface ContextSwitches {
  voluntary: number;
  nonvoluntary: number;
}

export function parseContextSwitches(status: string): ContextSwitches | null {
  const v = /^voluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  const nv = /^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  if (!v?.[1] || !nv?.[1]) return null;
  return { voluntary: Number(v[1]), nonvoluntary: Number(nv[1]) };
}

/** Context switches of one thread (/proc/<pid>/task/<tid>/status). */
export function readContextSwitches(pid: number, tid: number): ContextSwitches | null {
  const text = readText(`/proc/${pid}/task/${tid}/status`);
  return text === null ? null : parseContextSwitches(text);
}

/** Whether a process's initial environment (/proc/<pid>/environ) holds `entry` (`NAME=value`). */
export function environHas(pid: number, entry: string): boolean {
  let env: Buffer;
  try {
    env = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return false;
  }
  const needle = Buffer.from(`${entry}\0`);
  return env.subarray(0, needle.length).equals(needle) || env.includes(Buffer.from(`\0${entry}\0`));
}

/** The pid the kernel handed out last (last field of /proc/loadavg): it changes when a process or thread is created. */
export function lastPid(): number | null {
  const text = readText('/proc/loadavg');
  if (text === null) return null;
  const n = Number(text.trim().split(/\s+/).pop());
  return Number.isFinite(n) ? n : null;
}

/** CPU limit of this process's cgroup (v2 `cpu.max`), in CPUs; null when unlimited or unknown. */
export function cgroupCpuLimit(): number | null {
  if (!hasProc()) return null;
  const cgroup = readText('/proc/self/cgroup');
  const line = cgroup?.split('\n').find((l) => l.startsWith('0::'));
  const candidates = ['/sys/fs/cgroup/cpu.max'];
  if (line) candidates.unshift(`/sys/fs/cgroup${line.slice(3).trim()}/cpu.max`);
  for (const path of candidates) {
    const text = readText(path);
    if (text === null) continue;
    const [quota, period] = text.trim().split(/\s+/);
    if (quota === 'max') return null;
    const q = Number(quota);
    const p = Number(period);
    if (q > 0 && p > 0) return q / p;
  }
  return null;
}

/** A thread's name (`comm`), or null. */
export function readComm(pid: number, tid: number = pid): string | null {
  return readText(`/proc/${pid}/task/${tid}/comm`)?.trim() ?? null;
}

/** The executable of a process (`/proc/<pid>/exe`), or null when not permitted or gone. */
export function readExe(pid: number | 'self'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}

/** A process's command line (`/proc/<pid>/cmdline`), or null. */
export function readCmdline(pid: number): string[] | null {
  const text = readText(`/proc/${pid}/cmdline`);
  if (text === null) return null;
  return text.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
}
