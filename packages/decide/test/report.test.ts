import { describe, expect, it } from 'vitest';
import { decide, speedupEstimate, type WorkloadReportLike } from '../src/index.js';

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
    expect(io.rationale.join(' ')).toContain('38.00× with threads');
    const mixed = decide({
      runtime: 'node',
      workload: report({ kind: 'mixed', cpuShare: 0.5 }),
      fastEnough: false,
    });
    expect(mixed.model).toBe('hybrid');
    expect(mixed.rationale.join(' ')).toContain('1.00× with async');
    expect(mixed.rationale.join(' ')).toContain('3.70× with threads');
  });

  it("quotes the classifier's SpeedupEstimate: workers and what limits it", () => {
    const estimate = (speedup: number, limitedBy: string) => ({
      speedup,
      workers: 4,
      serialFraction: 0.02,
      method: 'amdahl',
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

  it('reads a speedup given as a number or as an object holding one', () => {
    expect(speedupEstimate(report({ speedup: { threads: 2 } }), 'threads')).toBe(2);
    expect(speedupEstimate(report({ speedup: { threads: { speedup: 2.5, cores: 4 } } }), 'threads')).toBe(
      2.5,
    );
    expect(speedupEstimate(report({ speedup: { threads: { estimate: 3 } } }), 'threads')).toBe(3);
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
