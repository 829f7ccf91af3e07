// From sampled windows of per-thread CPU to the timeline, its phases (start-up, steady state,
// shutdown), CPU by kind of thread and threads taking turns on a lock. Pure: no Node.js imports.
import { computeShare, kindOf } from './analysis.js';
import { countsTowardLabel } from './thread-kinds.js';
import {
  STEADY_MIN_SHARE,
  TURN_BLOCK_EVERY_MS,
  TURN_MAX_CPUS,
  TURN_THREAD_SHARE,
  TURN_WINDOWS_SHARE,
} from './thresholds.js';
import type { Phase, PhaseName, ThreadKind, ThreadKindUsage, TimelineWindow, TurnTaking } from './types.js';

/** One thread's share of a sampling window. */
export interface ThreadSlice {
  /** Identifies the thread across windows (pid, start time, tid). */
  key: string;
  name: string;
  kind: ThreadKind;
  cpuMs: number;
  runQueueMs: number;
  /** Voluntary context switches (it blocked: I/O, a lock, a sleep). */
  voluntary: number;
}

/** A sampling window as the sampler records it. */
export interface RawWindow {
  startMs: number;
  wallMs: number;
  threads: ThreadSlice[];
}

const TAKES_TURNS: ReadonlySet<ThreadKind> = new Set(['main', 'other', 'worker']);

/**
 * The threads of a window that took turns: at least two threads that each ran a fair share of
 * the window's CPU and each blocked often for the CPU it used (a lock hand-over is a voluntary
 * context switch), while
 * together they wanted a CPU most of the window (on CPU or runnable) and got at most about one.
 * Threads that compute without a lock block rarely, whatever the machine's load; threads that
 * mostly wait on I/O do not want a CPU most of the time.
 */
export function turnTakers(w: RawWindow): ThreadSlice[] {
  if (!(w.wallMs > 0)) return [];
  const candidates = w.threads.filter((t) => TAKES_TURNS.has(t.kind) && t.cpuMs > 0);
  const groupCpu = candidates.reduce((a, t) => a + t.cpuMs, 0);
  const takers = candidates.filter(
    (t) =>
      t.cpuMs >= TURN_THREAD_SHARE * groupCpu &&
      t.cpuMs >= 0.02 * w.wallMs &&
      t.voluntary >= t.cpuMs / TURN_BLOCK_EVERY_MS,
  );
  if (takers.length < 2) return [];
  const cpu = takers.reduce((a, t) => a + t.cpuMs, 0);
  const wanted = takers.reduce((a, t) => a + t.cpuMs + t.runQueueMs, 0);
  return cpu <= TURN_MAX_CPUS * w.wallMs && wanted >= 0.6 * w.wallMs ? takers : [];
}

/**
 * Run-queue wait of the threads taking turns beyond one lane: woken to take the lock, not
 * waiting for a CPU that another program holds.
 */
export function lockWait(w: RawWindow, takers: readonly ThreadSlice[]): number {
  const wanted = takers.reduce((a, t) => a + t.cpuMs + t.runQueueMs, 0);
  const queue = takers.reduce((a, t) => a + t.runQueueMs, 0);
  return Math.min(queue, Math.max(0, wanted - w.wallMs));
}

/** CPU of the kinds that count toward the label. */
export function countedCpu(w: Pick<TimelineWindow, 'cpuByKind'>): number {
  let sum = 0;
  for (const [kind, ms] of Object.entries(w.cpuByKind) as [ThreadKind, number][]) {
    if (countsTowardLabel(kind)) sum += ms;
  }
  return sum;
}

/** Turn-taking is judged over at least this much wall time: short windows see one thread at a time. */
const TURN_GROUP_MS = 100;

/** Neighbouring windows grouped to at least {@link TURN_GROUP_MS}, as index ranges [from, to). */
function turnGroups(raw: readonly RawWindow[]): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  let wall = 0;
  for (let i = 0; i < raw.length; i++) {
    wall += raw[i]!.wallMs;
    if (wall >= TURN_GROUP_MS || i === raw.length - 1) {
      out.push([from, i + 1]);
      from = i + 1;
      wall = 0;
    }
  }
  return out;
}

/** Several windows as one: slices of the same thread added up. */
function mergeWindows(ws: readonly RawWindow[]): RawWindow {
  const byKey = new Map<string, ThreadSlice>();
  for (const w of ws) {
    for (const t of w.threads) {
      const s = byKey.get(t.key);
      if (s) {
        s.cpuMs += t.cpuMs;
        s.runQueueMs += t.runQueueMs;
        s.voluntary += t.voluntary;
      } else byKey.set(t.key, { ...t });
    }
  }
  return {
    startMs: ws[0]?.startMs ?? 0,
    wallMs: ws.reduce((a, w) => a + w.wallMs, 0),
    threads: [...byKey.values()],
  };
}

/** For each window, the keys of the threads that took turns in its group (empty when none). */
function turnKeys(raw: readonly RawWindow[]): Set<string>[] {
  const out: Set<string>[] = raw.map(() => new Set());
  for (const [from, to] of turnGroups(raw)) {
    const keys = new Set(turnTakers(mergeWindows(raw.slice(from, to))).map((t) => t.key));
    for (let i = from; i < to; i++) out[i] = keys;
  }
  return out;
}

/** The timeline windows, every one in the `steady` phase until {@link findPhases} says otherwise. */
export function summarizeWindows(raw: readonly RawWindow[]): TimelineWindow[] {
  const turns = turnKeys(raw);
  return raw.map((w, i) => {
    const cpuByKind: Partial<Record<ThreadKind, number>> = {};
    let cpuMs = 0;
    let runQueueMs = 0;
    let active = 0;
    for (const t of w.threads) {
      cpuByKind[t.kind] = (cpuByKind[t.kind] ?? 0) + t.cpuMs;
      cpuMs += t.cpuMs;
      runQueueMs += t.runQueueMs;
      if (t.cpuMs >= 0.02 * w.wallMs) active++;
    }
    const lockWaitMs = lockWait(
      w,
      w.threads.filter((t) => turns[i]!.has(t.key)),
    );
    return {
      startMs: w.startMs,
      wallMs: w.wallMs,
      cpuMs,
      runQueueMs: runQueueMs - lockWaitMs,
      lockWaitMs,
      cpuByKind,
      activeThreads: active,
      phase: 'steady' as PhaseName,
    };
  });
}

interface Totals {
  wallMs: number;
  cpuMs: number;
  runQueueMs: number;
}

/**
 * Wall, counted CPU and the time that counts on neither side of the compute share: waiting for a
 * CPU, and waiting for a lock while taking turns (neither is the work waiting on I/O).
 */
function totals(ws: readonly TimelineWindow[]): Totals & { lockWaitMs: number } {
  const t = { wallMs: 0, cpuMs: 0, runQueueMs: 0, lockWaitMs: 0 };
  for (const w of ws) {
    t.wallMs += w.wallMs;
    t.cpuMs += countedCpu(w);
    t.runQueueMs += w.runQueueMs;
    t.lockWaitMs += w.lockWaitMs;
  }
  return t;
}

const shareOf = (t: Totals & { lockWaitMs: number }) =>
  computeShare(t.wallMs, t.cpuMs, t.runQueueMs + t.lockWaitMs);

/**
 * Length of a computing edge of the run (start-up from the front, shutdown from the back): the
 * prefix of windows whose compute share stands out most from the rest, set apart when it computes
 * at least 0.3 more of its time than the rest, mostly computes, and the rest of `ws` is at least
 * {@link STEADY_MIN_SHARE} of the run (`total`). `atLeast` windows are part of the edge whatever
 * they hold (a launcher's).
 */
function edgeLength(ws: readonly TimelineWindow[], total: number, atLeast = 0): number {
  // The kernel adds run-queue wait when a thread gets a CPU, so a window can show a thread that
  // waited for a CPU as blocked, and the next one the wait: under load, per-window numbers are
  // noisy by about the longest wait. The rest must be blocked well beyond that to stand apart.
  const noise = 2 * Math.max(0, ...ws.map((w) => w.runQueueMs + w.lockWaitMs));
  const blocked = (t: ReturnType<typeof totals>) => t.wallMs - t.cpuMs - t.runQueueMs - t.lockWaitMs;
  let best = 0;
  let bestScore = 0;
  // What is left after the edge, of these windows: for the shutdown, the start-up is already gone.
  let restWall = totals(ws).wallMs;
  for (let k = 1; k < ws.length; k++) {
    restWall -= ws[k - 1]!.wallMs;
    if (restWall < STEADY_MIN_SHARE * total) break;
    const edge = shareOf(totals(ws.slice(0, k)));
    const restTotals = totals(ws.slice(k));
    const rest = shareOf(restTotals);
    const score = edge - rest;
    if (k >= atLeast && edge >= 0.5 && score >= 0.3 && score > bestScore && blocked(restTotals) >= noise) {
      best = k;
      bestScore = score;
    }
  }
  if (best === 0 && atLeast > 0 && atLeast < ws.length) {
    if (totals(ws.slice(atLeast)).wallMs >= STEADY_MIN_SHARE * total) return atLeast;
  }
  return best;
}

function phase(name: PhaseName, ws: readonly TimelineWindow[]): Phase {
  const t = totals(ws);
  const share = shareOf(t);
  return {
    name,
    startMs: ws[0]?.startMs ?? 0,
    wallMs: t.wallMs,
    cpuMs: t.cpuMs,
    runQueueMs: t.runQueueMs,
    computeShare: share,
    kind: kindOf(share),
  };
}

/**
 * Splits the timeline into start-up, steady state and shutdown (each present only when found),
 * marking each window with its phase. With `startedHere` false (a process already running when
 * sampling began) there is no start-up to find; the first `launcherMs` (a launcher such as a
 * pyenv shim, before the real program started) are start-up.
 */
export function findPhases(windows: TimelineWindow[], startedHere = true, launcherMs = 0): Phase[] {
  const total = totals(windows).wallMs;
  if (windows.length < 3 || !(total > 0)) return windows.length > 0 ? [phase('steady', windows)] : [];
  const launcherWindows = windows.filter((w) => w.startMs < launcherMs).length;
  const head = startedHere ? edgeLength(windows, total, launcherWindows) : 0;
  const rest = windows.slice(head);
  const tail = edgeLength([...rest].reverse(), total);
  const steady = rest.slice(0, rest.length - tail);
  const out: Phase[] = [];
  if (head > 0) out.push(phase('start-up', windows.slice(0, head)));
  out.push(phase('steady', steady));
  if (tail > 0) out.push(phase('shutdown', rest.slice(rest.length - tail)));
  for (let i = 0; i < windows.length; i++) {
    windows[i]!.phase = i < head ? 'start-up' : i >= windows.length - tail ? 'shutdown' : 'steady';
  }
  return out;
}

/**
 * Threads taking turns over the steady state, or null: in at least half of its windows (by
 * wall time) several threads ran one at a time.
 */
export function detectTurnTaking(
  raw: readonly RawWindow[],
  windows: readonly TimelineWindow[],
  cause: TurnTaking['cause'],
): TurnTaking | null {
  let steadyWall = 0;
  let turnWall = 0;
  let cpu = 0;
  let most = 0;
  let lockWaitMs = 0;
  for (const [from, to] of turnGroups(raw)) {
    const group = raw.slice(from, to);
    const steady = windows.slice(from, to).filter((w) => w.phase === 'steady').length * 2 >= to - from;
    if (!steady) continue;
    const merged = mergeWindows(group);
    steadyWall += merged.wallMs;
    const takers = turnTakers(merged);
    if (takers.length === 0) continue;
    turnWall += merged.wallMs;
    cpu += takers.reduce((a, t) => a + t.cpuMs, 0);
    lockWaitMs += lockWait(merged, takers);
    most = Math.max(most, takers.length);
  }
  if (!(steadyWall > 0) || turnWall < TURN_WINDOWS_SHARE * steadyWall) return null;
  return { threads: most, cpus: cpu / turnWall, share: turnWall / steadyWall, cause, lockWaitMs };
}

/** CPU and run-queue wait by kind of thread over the whole timeline. */
export function usageByKind(raw: readonly RawWindow[]): ThreadKindUsage[] {
  const byKind = new Map<ThreadKind, { keys: Set<string>; names: Set<string>; cpu: number; queue: number }>();
  for (const w of raw) {
    for (const t of w.threads) {
      let u = byKind.get(t.kind);
      if (!u) {
        u = { keys: new Set(), names: new Set(), cpu: 0, queue: 0 };
        byKind.set(t.kind, u);
      }
      u.keys.add(t.key);
      if (u.names.size < 4) u.names.add(t.name);
      u.cpu += t.cpuMs;
      u.queue += t.runQueueMs;
    }
  }
  return [...byKind.entries()]
    .map(([kind, u]) => ({
      kind,
      threads: u.keys.size,
      cpuMs: u.cpu,
      runQueueMs: u.queue,
      names: [...u.names],
      counted: countsTowardLabel(kind),
    }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

/** Most windows a report carries; longer timelines merge neighbours of the same phase. */
export const MAX_TIMELINE_WINDOWS = 300;

/** Merges neighbouring windows (same phase) until at most {@link MAX_TIMELINE_WINDOWS} are left. */
export function compactTimeline(windows: readonly TimelineWindow[]): TimelineWindow[] {
  let out = [...windows];
  while (out.length > MAX_TIMELINE_WINDOWS) {
    const merged: TimelineWindow[] = [];
    for (let i = 0; i < out.length; i++) {
      const a = out[i]!;
      const b = out[i + 1];
      if (!b || b.phase !== a.phase) {
        merged.push(a);
        continue;
      }
      const cpuByKind = { ...a.cpuByKind };
      for (const [k, v] of Object.entries(b.cpuByKind) as [ThreadKind, number][]) {
        cpuByKind[k] = (cpuByKind[k] ?? 0) + v;
      }
      merged.push({
        startMs: a.startMs,
        wallMs: a.wallMs + b.wallMs,
        cpuMs: a.cpuMs + b.cpuMs,
        runQueueMs: a.runQueueMs + b.runQueueMs,
        lockWaitMs: a.lockWaitMs + b.lockWaitMs,
        cpuByKind,
        activeThreads: Math.max(a.activeThreads, b.activeThreads),
        phase: a.phase,
      });
      i++;
    }
    if (merged.length === out.length) break;
    out = merged;
  }
  return out;
}
