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
import type { Capacity, ConcurrencyModel, CpuSite, ProbeResult, WorkloadReport } from './types.js';

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
}

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Number.isFinite(x) ? Math.round(x * f) / f : 0;
};

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

export function assembleReport(m: Measured): Omit<WorkloadReport, 'function' | 'command'> {
  const observed = m.observedWallMs ?? m.wallMs;
  const share = computeShare(observed, m.cpuMs, m.runQueueMs);
  const kind = kindOf(share);
  const penalties = [...m.penalties];
  if (m.wallMs < 20) {
    penalties.push({
      factor: 0.7,
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
      factor: m.capacity.otherLoad >= m.capacity.availableParallelism * 0.5 ? 0.8 : 0.9,
      reason: `other work on the machine kept ${formatCpus(m.capacity.otherLoad)} busy during the measurement`,
    });
  }

  const cores = m.capacity.cores;
  const fleet = defaultPoolSize(cores, share);
  const serialFraction: Partial<Record<ConcurrencyModel, number>> = {};
  for (const p of m.probes) serialFraction[p.model] = p.serialFraction;
  const speedup = estimateSpeedups({
    wallMs: unstarvedWall(observed, m.cpuMs, m.runQueueMs),
    cpuMs: m.cpuMs,
    serialMs: m.serialMs,
    threadPoolCpuMs: m.threadPoolCpuMs,
    capacity: cores,
    threadPoolSize: m.threadPoolSize,
    workers: {
      async: m.workers?.async ?? DEFAULT_ASYNC_WORKERS,
      threads: m.workers?.threads ?? fleet,
      processes: m.workers?.processes ?? fleet,
    },
    serialFraction,
  });
  for (const model of Object.keys(speedup) as ConcurrencyModel[]) {
    const s = speedup[model];
    speedup[model] = { ...s, speedup: round(s.speedup, 2), serialFraction: round(s.serialFraction, 3) };
  }

  const time = timeBreakdown(m.wallMs, m.cpuMs, m.runQueueMs);
  const evidence = [labelEvidence(share), ...m.evidence];
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
    confidence: round(applyPenalties(baseConfidence(share), penalties), 2),
    evidence,
    cpuSite: m.cpuSite,
    time: {
      onCpuMs: round(time.onCpuMs),
      runQueueMs: round(time.runQueueMs),
      blockedMs: round(time.blockedMs),
      lanes: round(time.lanes, 2),
    },
    speedup,
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
