// Puts measured numbers together into a WorkloadReport: label, confidence, evidence, estimates.
import {
  applyPenalties,
  baseConfidence,
  computeShare,
  DEFAULT_ASYNC_WORKERS,
  defaultPoolSize,
  estimateSpeedups,
  formatCpus,
  formatMs,
  formatShare,
  kindOf,
  labelEvidence,
  type Penalty,
  timeBreakdown,
  unstarvedWall,
} from './analysis.js';
import { FAILED_CONFIDENCE_CAP, PENALTY } from './thresholds.js';
import type {
  AlreadyParallel,
  Capacity,
  ConcurrencyModel,
  CpuSite,
  Phase,
  ProbeResult,
  RunFailure,
  RuntimeInfo,
  SpeedupEstimate,
  ThreadKind,
  TimelineWindow,
  TurnTaking,
  WorkloadReport,
} from './types.js';

export interface Measured {
  target: WorkloadReport['target'];
  wallMs: number;
  /** Wall time the label is computed over, when part of `wallMs` could not be observed. */
  observedWallMs?: number;
  cpuMs: number;
  runQueueMs: number;
  /** See `SpeedupInput.serialMs`. */
  serialMs: number;
  threadPoolCpuMs: number;
  threadPoolSize: number;
  parallelism: number;
  cpuSite: CpuSite;
  capacity: Capacity;
  /** Compute share of each run. */
  shares: number[];
  probes: ProbeResult[];
  /** Lines specific to the target, after the label line. */
  evidence: string[];
  penalties: Penalty[];
  workers?: Partial<Record<ConcurrencyModel, number>> | undefined;
  /**
   * What the label and the estimates are read from, when not the whole run: the steady state, or
   * the whole run less the CPU of the runtime's helper threads.
   */
  label?: { wallMs: number; cpuMs: number; runQueueMs: number } | undefined;
  runtime?: RuntimeInfo | undefined;
  failure?: RunFailure | undefined;
  turnTaking?: TurnTaking | null | undefined;
  alreadyParallel?: AlreadyParallel | null | undefined;
  /** Lines that must come before the label line (a failure). */
  leadEvidence?: string[] | undefined;
}

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Number.isFinite(x) ? Math.round(x * f) / f : 0;
};

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

type AssembledReport = Omit<WorkloadReport, 'function' | 'command' | 'process'>;

export function assembleReport(m: Measured): AssembledReport {
  const basis = m.label ?? { wallMs: m.observedWallMs ?? m.wallMs, cpuMs: m.cpuMs, runQueueMs: m.runQueueMs };
  const share = computeShare(basis.wallMs, basis.cpuMs, basis.runQueueMs);
  const kind = kindOf(share);
  const penalties = [...m.penalties];
  if (m.wallMs < 20) {
    penalties.push({
      factor: PENALTY.shortRuns,
      reason: `runs are short (${formatMs(m.wallMs)}): timer and scheduler noise weigh more; give it more work`,
    });
  }
  if (m.shares.length > 1) {
    const spread = Math.max(...m.shares) - Math.min(...m.shares);
    if (spread > 0.2) {
      penalties.push({
        factor: Math.max(0.5, 1 - spread),
        reason: `runs disagree: the compute share ranged from ${formatShare(Math.min(...m.shares))} to ${formatShare(Math.max(...m.shares))}`,
      });
    }
  }
  if (m.capacity.otherLoad >= 0.5) {
    penalties.push({
      factor:
        m.capacity.otherLoad >= m.capacity.availableParallelism * 0.5
          ? PENALTY.heavyOtherLoad
          : PENALTY.otherLoad,
      reason: `other work on the machine kept ${formatCpus(m.capacity.otherLoad)} busy during the measurement`,
    });
  }

  const cores = m.capacity.cores;
  const fleet = defaultPoolSize(cores, share);
  const serialFraction: Partial<Record<ConcurrencyModel, number>> = {};
  for (const p of m.probes) serialFraction[p.model] = p.serialFraction;
  const estimate = (gil: boolean) => {
    const out = estimateSpeedups({
      wallMs: unstarvedWall(basis.wallMs, basis.cpuMs, basis.runQueueMs),
      cpuMs: basis.cpuMs,
      // A command's serial part is all its CPU; scale a function's to the label's CPU.
      serialMs: basis.cpuMs === m.cpuMs ? m.serialMs : m.serialMs * (m.cpuMs > 0 ? basis.cpuMs / m.cpuMs : 1),
      threadPoolCpuMs: m.threadPoolCpuMs,
      capacity: cores,
      threadPoolSize: m.threadPoolSize,
      workers: {
        async: m.workers?.async ?? DEFAULT_ASYNC_WORKERS,
        threads: m.workers?.threads ?? fleet,
        processes: m.workers?.processes ?? fleet,
      },
      serialFraction,
      gil,
    });
    for (const model of Object.keys(out) as ConcurrencyModel[]) {
      const s = out[model];
      out[model] = { ...s, speedup: round(s.speedup, 2), serialFraction: round(s.serialFraction, 3) };
    }
    return out;
  };
  const speedupByRuntime = { node: estimate(false), python: estimate(true) };
  const speedup: Record<ConcurrencyModel, SpeedupEstimate> =
    m.runtime?.gil === true ? speedupByRuntime.python : speedupByRuntime.node;

  const time = timeBreakdown(m.wallMs, m.cpuMs, m.runQueueMs);
  const evidence = [...(m.leadEvidence ?? []), labelEvidence(share), ...m.evidence];
  for (const p of m.probes) {
    evidence.push(
      `two-point probe (${p.model}): ${p.copies} copies at once took ${formatMs(p.allMs)} against ${formatMs(p.oneMs)} for one, ×${p.speedup.toFixed(2)}: Karp–Flatt serial fraction ${p.serialFraction.toFixed(2)}`,
    );
  }
  for (const p of penalties) evidence.push(p.reason);
  const cg = m.capacity.cgroupLimit === null ? '' : `, cgroup limit ${m.capacity.cgroupLimit}`;
  evidence.push(
    `capacity: ${formatCpus(m.capacity.cores)} free for the work (${m.capacity.availableParallelism} available${cg}, other load ${m.capacity.otherLoad.toFixed(2)})`,
  );

  return {
    target: m.target,
    kind,
    wallMs: round(m.wallMs),
    cpuMs: round(m.cpuMs),
    cpuShare: round(m.wallMs > 0 ? m.cpuMs / m.wallMs : 0, 3),
    computeShare: round(share, 3),
    parallelism: round(Math.max(1, m.parallelism), 2),
    confidence: round(
      Math.min(
        applyPenalties(baseConfidence(share), penalties),
        m.failure ? FAILED_CONFIDENCE_CAP : Number.POSITIVE_INFINITY,
      ),
      2,
    ),
    evidence,
    cpuSite: m.cpuSite,
    time: {
      onCpuMs: round(time.onCpuMs),
      runQueueMs: round(time.runQueueMs),
      blockedMs: round(time.blockedMs),
      lanes: round(time.lanes, 2),
    },
    speedup,
    speedupByRuntime,
    ...(m.failure ? { failure: m.failure } : {}),
    ...(m.turnTaking === undefined
      ? {}
      : {
          turnTaking: m.turnTaking && {
            ...m.turnTaking,
            cpus: round(m.turnTaking.cpus, 2),
            share: round(m.turnTaking.share, 3),
            lockWaitMs: round(m.turnTaking.lockWaitMs),
          },
        }),
    ...(m.alreadyParallel === undefined ? {} : { alreadyParallel: m.alreadyParallel }),
    ...(m.runtime ? { runtime: m.runtime } : {}),
    capacity: m.capacity,
    runs: m.shares.length,
    probes: m.probes.map((p) => ({
      ...p,
      oneMs: round(p.oneMs),
      allMs: round(p.allMs),
      speedup: round(p.speedup, 2),
      serialFraction: round(p.serialFraction, 3),
    })),
  };
}

export const roundPhase = (p: Phase): Phase => ({
  ...p,
  startMs: round(p.startMs),
  wallMs: round(p.wallMs),
  cpuMs: round(p.cpuMs),
  runQueueMs: round(p.runQueueMs),
  computeShare: round(p.computeShare, 3),
});

export const roundWindow = (w: TimelineWindow): TimelineWindow => {
  const cpuByKind: TimelineWindow['cpuByKind'] = {};
  for (const [k, v] of Object.entries(w.cpuByKind) as [ThreadKind, number][]) cpuByKind[k] = round(v);
  return {
    ...w,
    startMs: round(w.startMs),
    wallMs: round(w.wallMs),
    cpuMs: round(w.cpuMs),
    runQueueMs: round(w.runQueueMs),
    lockWaitMs: round(w.lockWaitMs),
    cpuByKind,
  };
};
