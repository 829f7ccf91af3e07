import type { SpeedupEstimate, WorkloadReport } from '@forkroad/classify';
import { describe, expect, it } from 'vitest';
import { type Answers, decide, type WorkloadReportLike } from '../src/index.js';

const estimate = (speedup: number, workers: number): SpeedupEstimate => ({
  speedup,
  workers,
  serialFraction: 0.05,
  method: 'amdahl',
  limitedBy: 'cpu-capacity',
});

/** A complete report, typed as @forkroad/classify declares it. */
const report: WorkloadReport = {
  target: 'command',
  kind: 'io-bound',
  wallMs: 2000,
  cpuMs: 40,
  cpuShare: 0.02,
  computeShare: 0.03,
  parallelism: 1,
  confidence: 0.85,
  evidence: ['CPU 40 ms over 2000 ms wall: CPU ÷ wall 0.02'],
  cpuSite: 'process-tree',
  time: { onCpuMs: 40, runQueueMs: 20, blockedMs: 1940, lanes: 1 },
  speedup: { async: estimate(42, 100), threads: estimate(7.5, 8), processes: estimate(7.1, 8) },
  capacity: { availableParallelism: 8, cgroupLimit: null, otherLoad: 0.2, cores: 8 },
  runs: 1,
  probes: [],
};

describe('@forkroad/classify compatibility', () => {
  it('a real WorkloadReport is a WorkloadReportLike, and decide accepts it as the workload', () => {
    const like: WorkloadReportLike = report;
    const answers: Answers = {
      runtime: 'python',
      workload: report,
      tasksInFlight: 3000,
      blockingLibraries: false,
    };
    const decision = decide(answers);
    expect(like.kind).toBe('io-bound');
    expect(decision.model).toBe('async');
    expect(decision.rationale).toContain(
      'Under the GIL, Python asyncio overlaps only the waiting: with a compute share of 0.03, up to 33.33× (1 ÷ compute share), whatever the cores.',
    );
    const node = decide({ ...answers, runtime: 'node' });
    expect(node.rationale).toContain(
      'forkroad classify estimates a speedup of up to 42.00× with async (100 workers; limited by cpu-capacity) on the machine it measured.',
    );
  });
});
