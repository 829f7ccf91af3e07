import type { SpeedupLimit } from '@forkroad/classify/types';
import { describe, expect, it } from 'vitest';
import { decide, runFailure, speedupEstimate, type WorkloadReportLike } from '../src/index.js';

/** A report shaped like @forkroad/classify's WorkloadReport, with its extra fields. */
function report(overrides: Partial<WorkloadReportLike> & Record<string, unknown> = {}): WorkloadReportLike {
  return {
    kind: 'cpu-bound',
    wallMs: 1000,
    cpuMs: 3900,
    cpuShare: 0.98,
    parallelism: 1,
    confidence: 0.92,
    evidence: ['user+system CPU 980 ms over 1000 ms wall', '3 voluntary context switches'],
    speedup: { async: 1, threads: 3.7, processes: 3.4 },
    ...overrides,
  } as WorkloadReportLike;
}

describe('a WorkloadReport as the answer to question 1', () => {
  it('uses the measured kind, quotes the measurement and the evidence', () => {
    const d = decide({ runtime: 'node', workload: report(), fastEnough: false, isolation: false });
    expect(d.model).toBe('threads');
    const step = d.path.find((s) => s.question === 'workload');
    expect(step?.answer).toBe('cpu');
    expect(step?.label).toContain('measured: cpu-bound');
    expect(d.rationale.join('\n')).toContain('CPU time ÷ wall time = 0.98');
    expect(d.rationale).toContain('Evidence: 3 voluntary context switches');
  });

  it('uses the speedup estimate of the recommended model in the rationale (per runtime)', () => {
    const node = decide({ runtime: 'node', workload: report(), fastEnough: false, isolation: false });
    expect(node.rationale.join(' ')).toContain('3.70× with threads');
    const python = decide({ runtime: 'python', workload: report(), fastEnough: false, isolation: false });
    expect(python.rationale.join(' ')).toContain('3.40× with processes');
    expect(python.rationale.join(' ')).not.toContain('with threads');
  });

  it('maps io-bound and mixed reports', () => {
    const io = decide({
      runtime: 'python',
      workload: report({
        kind: 'io-bound',
        cpuShare: 0.03,
        speedup: { async: 40, threads: 38, processes: 30 },
      }),
      tasksInFlight: 20,
      blockingLibraries: true,
      fastEnough: false,
    });
    expect(io.model).toBe('threads');
    // Python's threads take turns on the GIL: 1 ÷ 0.03, below the classifier's 38× for parallel threads.
    expect(io.rationale.join(' ')).toContain('up to 33.33× (1 ÷ compute share)');
  });

  it('reads a mixed report without separate stages as the side its compute share is on, and shows the pipeline as the alternative', () => {
    const mixed = decide({
      runtime: 'node',
      workload: report({ kind: 'mixed', cpuShare: 0.32, computeShare: 0.32, confidence: 0.6 }),
      tasksInFlight: 50,
      fastEnough: false,
      beyondOneMachine: false,
    });
    expect(mixed.model).toBe('async');
    expect(mixed.rationale.join(' ')).toMatch(
      /shows no separate I\/O and CPU stages, so it is read as I\/O-bound/,
    );
    expect(mixed.alternative).toMatchObject({ workload: 'mixed', outcome: 'hybrid', model: 'hybrid' });
    expect(mixed.alternative?.decidedBy).toMatch(/Where the CPU time goes/);
    expect(mixed.caveats[0]).toMatch(/not clear-cut \(confidence 0\.60\).*it would be hybrid/);
    const cpuSide = decide({
      runtime: 'python',
      workload: report({ kind: 'mixed', cpuShare: 0.6, computeShare: 0.62 }),
      fastEnough: false,
    });
    expect(cpuSide.model).toBe('processes');
    expect(cpuSide.alternative?.model).toBe('hybrid');
  });

  it('gives no alternative for a clear-cut measurement, and the same one on either side of a threshold', () => {
    const clear = decide({ runtime: 'python', workload: report(), fastEnough: false });
    expect(clear.alternative).toBeUndefined();
    const near = (kind: 'io-bound' | 'mixed', share: number) =>
      decide({
        runtime: 'python',
        workload: report({ kind, cpuShare: share, computeShare: share, confidence: 0.55, speedup: {} }),
        tasksInFlight: 20,
        blockingLibraries: false,
        fastEnough: false,
      });
    // The aiohttp client of issue 17: 0.29 and 0.32 fall on either side of the 0.3 line.
    for (const d of [near('io-bound', 0.29), near('mixed', 0.32)]) {
      expect(d.model).toBe('async');
      expect(d.alternative?.model).toBe('hybrid');
    }
  });

  it('puts a failed run first in the caveats', () => {
    const d = decide({
      runtime: 'python',
      workload: report({
        command: { argv: ['python3', 'scrape.py'], exitCode: 1, signal: null, timedOut: false },
      }),
      fastEnough: false,
    });
    expect(d.caveats[0]).toMatch(/^The measured run failed \(exited with code 1\)/);
    // A failed run has no other reading to weigh, however unsure the classifier was.
    const unsure = decide({
      runtime: 'python',
      workload: report({ confidence: 0.4, command: { exitCode: 1, signal: null, timedOut: false } }),
    });
    expect(unsure.alternative).toBeUndefined();
    expect(runFailure(report({ command: { exitCode: 0, signal: null, timedOut: false } }))).toBeUndefined();
    expect(runFailure(report({ command: { exitCode: null, signal: 'SIGKILL' } }))).toBe('killed by SIGKILL');
    expect(runFailure(report({ command: { exitCode: null, timedOut: true } }))).toBe('timed out');
    expect(runFailure(report())).toBeUndefined();
    const classified = report({
      failure: {
        exitCode: 1,
        signal: null,
        timedOut: false,
        stderrTail: 'boom',
        message: 'exited with code 1',
      },
    });
    expect(runFailure(classified)).toBe('exited with code 1');
  });

  it("bounds Python's threads and asyncio by the GIL: at most 1 ÷ compute share", () => {
    const scraper = report({
      kind: 'io-bound',
      cpuShare: 0.12,
      computeShare: 0.125,
      confidence: 0.9,
      speedup: { async: 40, threads: 18.78, processes: 2 },
    });
    const python = decide({ runtime: 'python', workload: scraper, tasksInFlight: 50, fastEnough: false });
    expect(python.model).toBe('threads');
    expect(python.rationale.join(' ')).toContain('up to 8.00× (1 ÷ compute share)');
    expect(python.rationale.join(' ')).not.toContain('18.78');
    const node = decide({
      runtime: 'node',
      workload: scraper,
      tasksInFlight: 50,
      blockingLibraries: true,
      fastEnough: false,
    });
    expect(node.rationale.join(' ')).toContain('18.78× with threads');
  });

  it('tells an already parallel program so, instead of quoting Amdahl', () => {
    const d = decide({
      runtime: 'python',
      workload: report({ parallelism: 1.9, speedup: { processes: 1.05 } }),
      fastEnough: false,
    });
    expect(d.caveats.join(' ')).toMatch(/already parallel: it kept 1\.90 CPUs busy/);
    expect(d.caveats.join(' ')).not.toMatch(/Amdahl/);
  });

  it("quotes the classifier's SpeedupEstimate: workers and what limits it", () => {
    const estimate = (speedup: number, limitedBy: SpeedupLimit) => ({
      speedup,
      workers: 4,
      serialFraction: 0.02,
      method: 'amdahl' as const,
      limitedBy,
    });
    const d = decide({
      runtime: 'node',
      workload: report({
        speedup: {
          async: estimate(1, 'serial-fraction'),
          threads: estimate(3.77, 'cpu-capacity'),
          processes: estimate(3.6, 'cpu-capacity'),
        },
      }),
      fastEnough: false,
      isolation: true,
    });
    expect(d.model).toBe('processes');
    expect(d.rationale).toContain(
      'forkroad classify estimates a speedup of up to 3.60× with processes (4 workers; limited by cpu-capacity) on the machine it measured.',
    );
  });

  it('mentions low confidence in the caveats', () => {
    const d = decide({
      runtime: 'node',
      workload: report({ confidence: 0.3 }),
      fastEnough: false,
      isolation: false,
    });
    expect(d.caveats.join(' ')).toMatch(/confidence is low \(0\.30\)/);
    const sure = decide({ runtime: 'node', workload: report(), fastEnough: false, isolation: false });
    expect(sure.caveats.join(' ')).not.toMatch(/confidence is low/);
  });

  it('warns when the estimated gain is small', () => {
    const d = decide({
      runtime: 'node',
      workload: report({ speedup: { threads: 1.05 } }),
      fastEnough: false,
      isolation: false,
    });
    expect(d.caveats.join(' ')).toMatch(/Amdahl/);
  });

  it("reads a speedup given as a number or as classify's SpeedupEstimate", () => {
    expect(speedupEstimate(report({ speedup: { threads: 2 } }), 'threads')).toBe(2);
    const estimate = {
      speedup: 2.5,
      workers: 4,
      serialFraction: 0.1,
      method: 'amdahl',
      limitedBy: 'workers',
    } as const;
    expect(speedupEstimate(report({ speedup: { threads: estimate } }), 'threads')).toBe(2.5);
    expect(speedupEstimate(report({ speedup: undefined }), 'threads')).toBeUndefined();
    expect(speedupEstimate(report({ speedup: { threads: Number.NaN } }), 'threads')).toBeUndefined();
  });

  it('works without speedup and evidence', () => {
    const d = decide({
      runtime: 'python',
      workload: { kind: 'cpu-bound', confidence: 0.9, cpuShare: 1 },
      fastEnough: false,
    });
    expect(d.model).toBe('processes');
  });
});
