// The report of a sampled process tree, shared by classifyCommand and classifyProcess: the
// evidence about the tree, the label from the chosen basis, and the timeline fields.
import { computeShare, formatShare, type Penalty } from './analysis.js';
import { MS_PER_TICK } from './procfs.js';
import { assembleReport, round, roundPhase, roundWindow } from './report.js';
import { CPU_BOUND_AT } from './thresholds.js';
import { compactTimeline } from './timeline.js';
import { alreadyParallel, type TreeShape, treeEvidence } from './tree-analysis.js';
import type { Capacity, ConcurrencyModel, ProbeResult, RunFailure, WorkloadReport } from './types.js';

export interface TreeMeasurement extends TreeShape {
  target: 'command' | 'process';
  /** The first evidence line after the label's: what was measured and how. */
  headline: string;
  capacity: Capacity;
  /** What the label is read from (see `Measured.label`). */
  label: { wallMs: number; cpuMs: number; runQueueMs: number };
  shares: number[];
  probes: ProbeResult[];
  penalties: Penalty[];
  /** Evidence lines after the tree's. */
  trailing: string[];
  workers: Partial<Record<ConcurrencyModel, number>> | undefined;
  failure: RunFailure | undefined;
  leadEvidence: string[] | undefined;
  labelFrom: 'whole-run' | 'steady';
}

export function treeReport(m: TreeMeasurement): Omit<WorkloadReport, 'function' | 'command' | 'process'> {
  const { analysis, label } = m;
  const evidence = [m.headline, ...treeEvidence(m)];
  if (computeShare(label.wallMs, label.cpuMs, label.runQueueMs) < CPU_BOUND_AT) {
    evidence.push(
      `blocked ${formatShare(Math.max(0, label.wallMs - label.cpuMs - label.runQueueMs) / label.wallMs)} of the time: sleeping, waiting on I/O, locks or child processes`,
    );
  }
  evidence.push(...m.trailing);
  const base = assembleReport({
    target: m.target,
    wallMs: m.wallMs,
    cpuMs: m.cpuMs,
    runQueueMs: m.runQueueMs,
    serialMs: m.cpuMs,
    threadPoolCpuMs: 0,
    threadPoolSize: 0,
    parallelism: m.parallelism,
    cpuSite: m.cpuMs < Math.max(2 * MS_PER_TICK, 0.05 * m.wallMs) ? 'none' : 'process-tree',
    capacity: m.capacity,
    shares: m.shares,
    probes: m.probes,
    evidence,
    penalties: m.penalties,
    workers: m.workers,
    label,
    runtime: m.runtime,
    failure: m.failure,
    leadEvidence: m.leadEvidence,
    turnTaking: analysis.turnTaking,
    alreadyParallel: analysis.turnTaking ? null : alreadyParallel(m.parallelism, m.processes),
  });
  return {
    ...base,
    phases: analysis.phases.map(roundPhase),
    labelFrom: m.labelFrom,
    timeline: compactTimeline(analysis.timeline).map(roundWindow),
    threads: analysis.threads.map((t) => ({ ...t, cpuMs: round(t.cpuMs), runQueueMs: round(t.runQueueMs) })),
    launcher: m.launcher
      ? { ...m.launcher, cpuMs: round(m.launcher.cpuMs), wallMs: round(m.launcher.wallMs) }
      : null,
  };
}
