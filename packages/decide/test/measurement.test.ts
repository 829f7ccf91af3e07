import type { SpeedupEstimate, TimelineWindow } from '@forkroad/classify/types';
import { describe, expect, it } from 'vitest';
import { type Answers, decide, type WorkloadReportLike } from '../src/index.js';

const estimate = (speedup: number, limitedBy: SpeedupEstimate['limitedBy']): SpeedupEstimate => ({
  speedup,
  workers: 2,
  serialFraction: 0,
  method: 'amdahl',
  limitedBy,
});

const window = (startMs: number, cpuMs: number): TimelineWindow => ({
  startMs,
  wallMs: 100,
  cpuMs,
  runQueueMs: 0,
  lockWaitMs: 0,
  cpuByKind: { main: cpuMs },
  activeThreads: 1,
  phase: 'steady',
});

const asked = (workload: WorkloadReportLike, more: Partial<Answers> = {}): Answers => ({
  runtime: 'python',
  workload,
  fastEnough: false,
  beyondOneMachine: false,
  tasksInFlight: 20,
  isolation: false,
  ...more,
});

describe('reading the fields a classify report adds', () => {
  it('a mixed report whose timeline has waiting and computing stretches is a pipeline (hybrid)', () => {
    const stages: WorkloadReportLike = {
      kind: 'mixed',
      confidence: 0.9,
      cpuShare: 0.5,
      computeShare: 0.5,
      // a download stretch, then a hashing stretch
      timeline: [0, 1, 2, 3, 4]
        .map((i) => window(i * 100, 5))
        .concat([5, 6, 7, 8, 9].map((i) => window(i * 100, 95))),
    };
    const d = decide(asked(stages));
    expect(d.model).toBe('hybrid');
    expect(d.rationale.join(' ')).toMatch(/timeline shows separate stages/);
    // Stages are structure: an I/O-bound overall share with a real CPU stage is still a pipeline.
    expect(decide(asked({ ...stages, kind: 'io-bound', computeShare: 0.28 })).model).toBe('hybrid');
    // Computing in every window (each task waits and computes) is not a pipeline…
    const interleaved = { ...stages, timeline: Array.from({ length: 10 }, (_, i) => window(i * 100, 50)) };
    expect(decide(asked(interleaved)).model).not.toBe('hybrid');
    // …and neither is waiting and computing in quick turns, shorter than a stage.
    const turns = {
      ...stages,
      timeline: Array.from({ length: 20 }, (_, i) => window(i * 100, i % 3 === 0 ? 95 : 5)),
    };
    expect(decide(asked(turns)).model).not.toBe('hybrid');
  });

  it("prefers the classifier's estimates in the runtime's own models", () => {
    const report: WorkloadReportLike = {
      kind: 'io-bound',
      confidence: 0.9,
      cpuShare: 0.1,
      computeShare: 0.1,
      speedup: { threads: estimate(18.78, 'workers') },
      speedupByRuntime: {
        node: {
          async: estimate(30, 'workers'),
          threads: estimate(18.78, 'workers'),
          processes: estimate(9, 'workers'),
        },
        python: {
          async: estimate(9.5, 'gil'),
          threads: estimate(7.9, 'gil'),
          processes: estimate(9, 'workers'),
        },
      },
    };
    const python = decide(asked(report, { blockingLibraries: true }));
    expect(python.model).toBe('threads');
    expect(python.rationale.join(' ')).toContain('up to 7.90× (1 ÷ compute share)');
    const node = decide(asked(report, { runtime: 'node', blockingLibraries: true }));
    expect(node.rationale.join(' ')).toContain('18.78× with threads');
  });

  it('calls threads taking turns on the GIL what it is, not a shortage of CPUs', () => {
    const report: WorkloadReportLike = {
      kind: 'cpu-bound',
      confidence: 0.85,
      cpuShare: 0.98,
      turnTaking: { threads: 4, cpus: 1.02, share: 0.9, cause: 'gil', lockWaitMs: 529 },
      speedupByRuntime: {
        node: {
          async: estimate(1, 'serial-fraction'),
          threads: estimate(2, 'cpu-capacity'),
          processes: estimate(2, 'cpu-capacity'),
        },
        python: {
          async: estimate(1, 'gil'),
          threads: estimate(1, 'gil'),
          processes: estimate(1.95, 'cpu-capacity'),
        },
      },
    };
    const d = decide(asked(report));
    expect(d.model).toBe('processes');
    expect(d.rationale.join(' ')).toMatch(
      /4 threads took turns on Python's GIL for 90% of the run.*not a shortage of CPUs.*up to 1\.95× with processes/,
    );
    expect(d.caveats.join(' ')).not.toMatch(/Amdahl/);
  });

  it('blames a busy machine, not Amdahl, when the estimate was capped by the CPUs free', () => {
    const report: WorkloadReportLike = {
      kind: 'cpu-bound',
      confidence: 0.8,
      cpuShare: 1,
      speedup: { processes: estimate(1, 'cpu-capacity') },
      capacity: { availableParallelism: 2, cgroupLimit: null, otherLoad: 1.1, cores: 1 },
    };
    const caveats = decide(asked(report)).caveats.join(' ');
    expect(caveats).toMatch(/capped by the CPUs that were free while it measured \(1\.00 of 2/);
    expect(caveats).not.toMatch(/Amdahl/);
  });

  it('blames the pool sized from the free CPUs, not Amdahl, when the estimate was bounded by its workers', () => {
    const report: WorkloadReportLike = {
      kind: 'cpu-bound',
      confidence: 0.8,
      cpuShare: 1,
      speedup: { processes: { ...estimate(1, 'workers'), workers: 1 } },
      capacity: { availableParallelism: 2, cgroupLimit: null, otherLoad: 0.64, cores: 1.36 },
    };
    const caveats = decide(asked(report)).caveats.join(' ');
    expect(caveats).toMatch(
      /estimate for processes \(1\.00×\) is bounded by the 1 worker it assumes, a pool sized from the CPUs that were free while it measured \(1\.36 of 2/,
    );
    expect(caveats).not.toMatch(/Amdahl/);
    // A bound of the work itself is still Amdahl's law.
    const serial = decide(asked({ ...report, speedup: { processes: estimate(1.1, 'serial-fraction') } }));
    expect(serial.caveats.join(' ')).toMatch(/small \(1\.10×\).*Amdahl/);
  });

  it("uses the classifier's already-parallel finding, and says what a launcher cost", () => {
    const report: WorkloadReportLike = {
      kind: 'cpu-bound',
      confidence: 0.9,
      cpuShare: 1.9,
      parallelism: 1.9,
      alreadyParallel: { cpus: 1.9, by: 'processes' },
      launcher: { name: 'pyenv', processes: 6, cpuMs: 48, wallMs: 230 },
      speedup: { processes: estimate(1.02, 'cpu-capacity') },
    };
    const decision = decide(asked(report));
    expect(decision.caveats[0]).toMatch(
      /^The program is already parallel: it kept 1\.90 CPUs busy at once while it computed \(several processes\)/,
    );
    const caveats = decision.caveats.join(' ');
    expect(caveats).toMatch(/A launcher \(pyenv\) ran before the program: 6 processes, 48 ms of CPU/);
    expect(caveats).not.toMatch(/capped by|Amdahl/);
    // The classifier said "not parallel" (null): a high mean alone does not override it.
    const notParallel = decide(asked({ ...report, alreadyParallel: null })).caveats.join(' ');
    expect(notParallel).not.toMatch(/already parallel/);
    // Its finding stands as it is (it has its own threshold), even below the mean this package
    // would require of a report without one.
    const lower = { ...report, parallelism: 1.4, alreadyParallel: { cpus: 1.4, by: 'processes' as const } };
    expect(decide(asked(lower)).caveats.join(' ')).toMatch(/already parallel: it kept 1\.40 CPUs busy/);
    const { alreadyParallel: _, ...withoutFinding } = lower;
    expect(decide(asked(withoutFinding)).caveats.join(' ')).not.toMatch(/already parallel/);
  });
});

describe('what the advice says', () => {
  it("libuv's pool: async crypto, zlib, fs and dns.lookup use it; createHash does not; fetch resolves names on it", () => {
    const text = decide({
      runtime: 'node',
      workload: 'io',
      tasksInFlight: 50,
      blockingLibraries: false,
    }).caveats.join(' ');
    expect(text).toMatch(/async fs calls, dns\.lookup and the async forms of crypto/);
    expect(text).toMatch(/createHash and hash\.update included, run on the calling thread/);
    expect(text).toMatch(
      /net, http and fetch resolve host names with dns\.lookup, which takes a pool thread/,
    );
    expect(text).not.toMatch(/sockets and fetch do not/);
  });

  it('beyond one machine: a job queue, with at-least-once delivery and a broker to run', () => {
    for (const runtime of ['node', 'python'] as const) {
      const d = decide({ runtime, workload: 'cpu', fastEnough: false, beyondOneMachine: true });
      expect(d).toMatchObject({ outcome: 'distributed', model: 'distributed' });
      expect(d.path.map((s) => s.question)).toEqual(['fast-enough', 'beyond-one-machine']);
      expect(d.caveats.join(' ')).toMatch(/at least once.*idempotent/);
      expect(d.caveats.join(' ')).toMatch(/Redis/);
    }
    expect(decide({ runtime: 'python', workload: 'io', beyondOneMachine: true }).tool).toMatchObject({
      name: 'Celery',
      package: 'celery[redis]',
    });
    expect(decide({ runtime: 'node', workload: 'io', beyondOneMachine: true }).tool.snippet).toContain(
      "import { createExecutor } from '@forkroad/distributed';",
    );
  });

  it('a measured running process is asked whether it is a server', () => {
    const running: WorkloadReportLike = {
      target: 'process',
      kind: 'cpu-bound',
      confidence: 0.9,
      cpuShare: 0.95,
    };
    expect(decide(asked(running)).caveats.join(' ')).toMatch(/measured a running process.*--server/);
    expect(decide(asked(running, { server: true })).caveats.join(' ')).not.toMatch(
      /measured a running process/,
    );
  });

  it('a server spreads CPU work over server workers; one task at a time needs no pool', () => {
    const flask = decide({ runtime: 'python', workload: 'cpu', fastEnough: false, server: true });
    expect(flask.tool.name).toBe('gunicorn');
    expect(flask.tool.snippet).not.toContain('ProcessPoolExecutor');
    expect(decide({ runtime: 'node', workload: 'cpu', server: true }).tool.name).toBe('node:cluster');
    const one = decide({ runtime: 'python', workload: 'cpu', tasksInFlight: 1, fastEnough: false });
    expect(one.caveats.join(' ')).toMatch(/one task at a time/);
  });
});
