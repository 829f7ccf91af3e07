// From sampled windows of per-thread CPU to the timeline, its phases (start-up, steady state,
// shutdown), CPU by kind of thread and threads taking turns on a lock. Pure: no Node.js imports.
import { computeShare, kindOf } from './analysis.js';
import { countsTowardLabel } from './thread-kinds.js';
import { STEADY_MIN_SHARE, TURN_MAX_LANES, TURN_THREAD_SHARE, TURN_WINDOWS_SHARE } from './thresholds.js';
import type { Phase, PhaseName, ThreadKind, ThreadKindUsage, TimelineWindow, TurnTaking } from './types.js';

/** One thread's share of a sampling window. */
export interface ThreadSlice {
  /** Identifies the thread across windows (pid, start time, tid). */
  key: string;
  name: string;
  kind: ThreadKind;
  cpuMs: number;
  runQueueMs: number;
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
 * the window's CPU, while together they wanted about one CPU: their on-CPU plus run-queue time
 * fills most of one lane and not much more. Threads starved by a busy machine are all runnable
 * at once (several lanes of run-queue wait); threads waiting for a lock are blocked instead.
 */
export function turnTakers(w: RawWindow): ThreadSlice[] {
  if (!(w.wallMs > 0)) return [];
  const candidates = w.threads.filter((t) => TAKES_TURNS.has(t.kind) && t.cpuMs > 0);
  const groupCpu = candidates.reduce((a, t) => a + t.cpuMs, 0);
  const takers = candidates.filter(
    (t) => t.cpuMs >= TURN_THREAD_SHARE * groupCpu && t.cpuMs >= 0.02 * w.wallMs,
  );
  if (takers.length < 2) return [];
  const wanted = takers.reduce((a, t) => a + t.cpuMs + t.runQueueMs, 0);
  return wanted >= 0.6 * w.wallMs && wanted <= TURN_MAX_LANES * w.wallMs ? takers : [];
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

/** The timeline windows, every one in the `steady` phase until {@link findPhases} says otherwise. */
export function summarizeWindows(raw: readonly RawWindow[]): TimelineWindow[] {
  return raw.map((w) => {
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
    const lockWaitMs = lockWait(w, turnTakers(w));
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

function totals(ws: readonly TimelineWindow[]): Totals {
  const t = { wallMs: 0, cpuMs: 0, runQueueMs: 0 };
  for (const w of ws) {
    t.wallMs += w.wallMs;
    t.cpuMs += countedCpu(w);
    t.runQueueMs += w.runQueueMs;
  }
  return t;
}

const shareOf = (t: Totals) => computeShare(t.wallMs, t.cpuMs, t.runQueueMs);

/**
 * Length of a computing edge of the run (start-up from the front, shutdown from the back): the
 * prefix of windows whose compute share stands out most from the rest, set apart when it computes
 * at least 0.3 more of its time than the rest, mostly computes, and the rest is at least
 * {@link STEADY_MIN_SHARE} of the run. `atLeast` windows are part of the edge whatever they hold
 * (a launcher's).
 */
function edgeLength(ws: readonly TimelineWindow[], total: number, atLeast = 0): number {
  let best = 0;
  let bestScore = 0;
  let prefixWall = 0;
  for (let k = 1; k < ws.length; k++) {
    prefixWall += ws[k - 1]!.wallMs;
    if (total - prefixWall < STEADY_MIN_SHARE * total) break;
    const edge = shareOf(totals(ws.slice(0, k)));
    const rest = shareOf(totals(ws.slice(k)));
    const score = edge - rest;
    if (k >= atLeast && edge >= 0.5 && score >= 0.3 && score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  if (best === 0 && atLeast > 0 && atLeast < ws.length) {
    const restWall = totals(ws.slice(atLeast)).wallMs;
    if (restWall >= STEADY_MIN_SHARE * total) return atLeast;
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
  raw.forEach((w, i) => {
    if (windows[i]?.phase !== 'steady') return;
    steadyWall += w.wallMs;
    const takers = turnTakers(w);
    if (takers.length === 0) return;
    turnWall += w.wallMs;
    cpu += takers.reduce((a, t) => a + t.cpuMs, 0);
    lockWaitMs += lockWait(w, takers);
    most = Math.max(most, takers.length);
  });
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
