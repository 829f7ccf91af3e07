// Samples a live process tree from /proc: the processes in it, each thread's on-CPU time and
// run-queue wait (schedstat), context switches, names, and the timeline in windows.

import {
  environHas,
  lastPid,
  listPids,
  listTasks,
  type ProcStat,
  readComm,
  readContextSwitches,
  readExe,
  readSchedstat,
  readStat,
} from './procfs.js';
import { runtimeOf, threadKinds } from './thread-kinds.js';
import type { RawWindow, ThreadSlice } from './timeline.js';
import type { Launcher, RuntimeInfo, ThreadKind } from './types.js';

interface ThreadState {
  execNs: number;
  runDelayNs: number;
  voluntary: number;
  nonvoluntary: number;
  name: string;
  kind: ThreadKind;
}

interface ProcessInfo {
  name: string;
  runtime: RuntimeInfo;
  /** Thread ids whose kinds are known. */
  known: Set<number>;
}

/** Window length: fine at the start, where start-up happens, coarser later. */
const windowTarget = (elapsedMs: number) => (elapsedMs < 1000 ? 25 : 100);

export interface TreeTrackerOptions {
  /** Processes to leave out (children of this process that existed before). */
  before?: ReadonlySet<number>;
  /**
   * The root was running before sampling began (`classifyProcess`): the first sample is only a
   * baseline, since per-thread counters hold all the time before it.
   */
  attached?: boolean;
}

export class TreeTracker {
  private rootStart: number | null = null;
  /** Every process seen in the tree: pid → start time. */
  readonly members = new Map<number, number>();
  private live = new Set<number>();
  private readonly threads = new Map<string, ThreadState>();
  private readonly processes = new Map<string, ProcessInfo>();
  private lastPidSeen: number | null = null;
  private count = 0;
  readonly otherChildren = new Set<number>();
  maxThreads = 0;
  sawSchedstat = false;
  /** Tree CPU at the first and the last sample (ticks, from stat). */
  firstTicks: number | null = null;
  treeTicks = 0;
  lastSampleAt: number;
  firstSampleAt: number | null = null;
  readonly windows: RawWindow[] = [];
  private windowStart: number;
  private slices = new Map<string, ThreadSlice>();
  /** The first runtime recognised in the tree, and when (ms from the start). */
  runtime: RuntimeInfo | null = null;
  private runtimeAt: number | null = null;
  private rootFirst: { name: string; runtime: RuntimeInfo } | null = null;
  private readonly preRuntime = new Set<number>();
  private readonly before: ReadonlySet<number>;
  private readonly attached: boolean;

  constructor(
    private readonly rootPid: number,
    private readonly startedAt: number,
    options: TreeTrackerOptions = {},
  ) {
    this.lastSampleAt = startedAt;
    this.windowStart = startedAt;
    this.before = options.before ?? new Set();
    this.attached = options.attached === true;
  }

  /** Whether the root process was alive at the last sample. */
  rootAlive = true;

  sample(now: number): void {
    const lp = lastPid();
    const rescan = lp === null || lp !== this.lastPidSeen || this.count % 20 === 0;
    this.lastPidSeen = lp;
    const baseline = this.attached && this.count === 0;
    this.count++;
    this.firstSampleAt ??= now;
    const stats = new Map<number, ProcStat>();
    const read = (pid: number) => {
      const st = readStat(pid);
      if (st) stats.set(pid, st);
    };
    if (rescan) {
      // Only processes born after the root can be its descendants: pids grow until they wrap.
      const wrapped = lp !== null && lp < this.rootPid;
      for (const pid of listPids()) {
        if (pid < this.rootPid && !(wrapped && lp !== null && pid <= lp)) continue;
        read(pid);
      }
    } else {
      read(this.rootPid);
      for (const pid of this.live) if (pid !== this.rootPid) read(pid);
    }
    const root = stats.get(this.rootPid);
    if (root && this.rootStart === null) this.rootStart = root.starttime;
    this.rootAlive = root !== undefined && root.starttime === this.rootStart && root.state !== 'Z';
    const tree = new Set<number>();
    if (root && root.starttime === this.rootStart) {
      const children = new Map<number, number[]>();
      for (const st of stats.values()) {
        const list = children.get(st.ppid);
        if (list) list.push(st.pid);
        else children.set(st.ppid, [st.pid]);
        if (st.ppid === process.pid && st.pid !== this.rootPid && !this.before.has(st.pid)) {
          this.otherChildren.add(st.pid);
        }
      }
      const todo = [this.rootPid];
      while (todo.length > 0) {
        const pid = todo.pop()!;
        const st = stats.get(pid);
        if (!st || tree.has(pid) || st.starttime < (this.rootStart ?? 0)) continue;
        tree.add(pid);
        if (!this.members.has(pid)) this.members.set(pid, st.starttime);
        for (const c of children.get(pid) ?? []) todo.push(c);
      }
    }
    this.live = tree;

    let ticks = 0;
    let threadCount = 0;
    for (const pid of tree) {
      const st = stats.get(pid)!;
      ticks += st.utime + st.stime + st.cutime + st.cstime;
      threadCount += Number.isFinite(st.numThreads) ? st.numThreads : 1;
      const proc = this.processInfo(pid, st.starttime, now);
      const tids = listTasks(pid);
      const fresh = tids.filter((tid) => !proc.known.has(tid));
      if (fresh.length > 0) this.nameThreads(pid, st.starttime, tids, proc);
      for (const tid of tids) {
        const key = `${pid}:${st.starttime}:${tid}`;
        const prev = this.threads.get(key);
        if (!prev) continue; // gone between listing and naming
        const sched = readSchedstat(`/proc/${pid}/task/${tid}/schedstat`);
        const ctx = readContextSwitches(pid, tid);
        if (sched) this.sawSchedstat = true;
        const execNs = Math.max(prev.execNs, sched?.execNs ?? 0);
        const runDelayNs = Math.max(prev.runDelayNs, sched?.runDelayNs ?? 0);
        const voluntary = Math.max(prev.voluntary, ctx?.voluntary ?? 0);
        if (!baseline) {
          const cpuMs = (execNs - prev.execNs) / 1e6;
          const runQueueMs = (runDelayNs - prev.runDelayNs) / 1e6;
          const blocked = voluntary - prev.voluntary;
          if (cpuMs > 0 || runQueueMs > 0 || blocked > 0) {
            const slice = this.slices.get(key);
            if (slice) {
              slice.cpuMs += cpuMs;
              slice.runQueueMs += runQueueMs;
              slice.voluntary += blocked;
            } else {
              this.slices.set(key, {
                key,
                name: prev.name,
                kind: prev.kind,
                cpuMs,
                runQueueMs,
                voluntary: blocked,
              });
            }
          }
        }
        prev.execNs = execNs;
        prev.runDelayNs = runDelayNs;
        prev.voluntary = voluntary;
        prev.nonvoluntary = Math.max(prev.nonvoluntary, ctx?.nonvoluntary ?? 0);
      }
    }
    this.maxThreads = Math.max(this.maxThreads, threadCount);
    if (this.firstTicks === null && tree.size > 0) this.firstTicks = ticks;
    this.treeTicks = Math.max(this.treeTicks, ticks);
    this.lastSampleAt = now;
    if (baseline) this.windowStart = now;
    else if (now - this.windowStart >= windowTarget(now - this.startedAt)) this.closeWindow(now);
  }

  /**
   * The process's name and runtime. An exec keeps the pid and may keep the name (a pyenv shim
   * named `python3` execs python3), so the executable is read again until a runtime is known.
   */
  private processInfo(pid: number, start: number, now: number): ProcessInfo {
    const key = `${pid}:${start}`;
    const name = readComm(pid) ?? '?';
    let info = this.processes.get(key);
    if (!info || info.name !== name || info.runtime.name === 'other') {
      const runtime = runtimeOf(readExe(pid), name);
      if (!info || info.name !== name || runtime.executable !== info.runtime.executable) {
        info = { name, runtime, known: info?.known ?? new Set() };
        this.processes.set(key, info);
      }
    }
    if (pid === this.rootPid) this.rootFirst ??= { name, runtime: info.runtime };
    if (info.runtime.name !== 'other') {
      if (this.runtime === null) {
        this.runtime = info.runtime;
        this.runtimeAt = now - this.startedAt;
      }
    } else if (this.runtime === null) {
      this.preRuntime.add(pid);
    }
    return info;
  }

  private nameThreads(pid: number, start: number, tids: number[], proc: ProcessInfo): void {
    const named = tids.map((tid) => ({ tid, name: readComm(pid, tid) ?? '?' }));
    const kinds = threadKinds(pid, named, proc.runtime.name);
    for (const { tid, name } of named) {
      const key = `${pid}:${start}:${tid}`;
      const kind = kinds.get(tid) ?? 'other';
      const state = this.threads.get(key);
      if (state) state.kind = kind;
      else this.threads.set(key, { execNs: 0, runDelayNs: 0, voluntary: 0, nonvoluntary: 0, name, kind });
      proc.known.add(tid);
    }
  }

  closeWindow(now: number = this.lastSampleAt): void {
    const wallMs = now - this.windowStart;
    if (wallMs > 0) {
      this.windows.push({
        startMs: this.windowStart - this.startedAt,
        wallMs,
        threads: [...this.slices.values()],
      });
    }
    this.slices = new Map();
    this.windowStart = now;
  }

  /** Live pids of the tree at the last sample, the root included. */
  livePids(): number[] {
    return [...this.live];
  }

  totals(): { runQueueMs: number; voluntary: number; nonvoluntary: number } {
    let runDelay = 0;
    let voluntary = 0;
    let nonvoluntary = 0;
    for (const t of this.threads.values()) {
      runDelay += t.runDelayNs;
      voluntary += t.voluntary;
      nonvoluntary += t.nonvoluntary;
    }
    return { runQueueMs: runDelay / 1e6, voluntary, nonvoluntary };
  }

  /** CPU-weighted mean of CPU ÷ wall over windows of ≥ 100 ms: CPUs busy at once while computing. */
  parallelism(): number {
    let weight = 0;
    let sum = 0;
    let wall = 0;
    let cpu = 0;
    for (const w of this.windows) {
      wall += w.wallMs;
      for (const t of w.threads) cpu += t.cpuMs;
      if (wall < 100) continue;
      if (cpu > 0) {
        weight += cpu;
        sum += (cpu * cpu) / wall;
      }
      wall = 0;
      cpu = 0;
    }
    if (wall > 0 && cpu > 0) {
      weight += cpu;
      sum += (cpu * cpu) / wall;
    }
    return weight > 0 ? sum / weight : 0;
  }

  /** A launcher that ran before the first recognised runtime (a pyenv shim, a wrapper script), or null. */
  launcher(): Launcher | null {
    const first = this.rootFirst;
    if (this.runtime === null || this.runtimeAt === null || first === null) return null;
    if (first.runtime.name !== 'other' || this.preRuntime.size === 0) return null;
    let cpuMs = 0;
    for (const w of this.windows) {
      if (w.startMs >= this.runtimeAt) break;
      for (const t of w.threads) cpuMs += t.cpuMs;
    }
    return { name: first.name, processes: this.preRuntime.size, cpuMs, wallMs: this.runtimeAt };
  }

  /** Descendants still alive: the ones seen while sampling, and any carrying `tokenEntry` in their environment. */
  orphans(tokenEntry: string): number[] {
    const found = new Set<number>();
    for (const [pid, start] of this.members) {
      if (pid === this.rootPid) continue;
      const st = readStat(pid);
      if (st && st.starttime === start && st.state !== 'Z' && st.state !== 'X') found.add(pid);
    }
    const lp = lastPid();
    const wrapped = lp !== null && lp < this.rootPid;
    for (const pid of listPids()) {
      if (pid === this.rootPid || pid === process.pid || found.has(pid)) continue;
      if (pid < this.rootPid && !(wrapped && lp !== null && pid <= lp)) continue;
      if (!environHas(pid, tokenEntry)) continue;
      const st = readStat(pid);
      if (st && st.state !== 'Z' && st.state !== 'X') found.add(pid);
    }
    return [...found].sort((a, b) => a - b);
  }
}
