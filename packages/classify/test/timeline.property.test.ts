// Invariants of the timeline analysis: phases partition the run, compaction keeps the totals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threadKinds } from '../src/thread-kinds.js';
import { compactTimeline, findPhases, MAX_TIMELINE_WINDOWS, summarizeWindows } from '../src/timeline.js';
import type { ThreadKind } from '../src/types.js';

const kinds: ThreadKind[] = ['main', 'other', 'worker', 'thread-pool', 'runtime-helper'];

const rawWindows = fc
  .array(
    fc.record({
      wallMs: fc.double({ min: 1, max: 200, noNaN: true }),
      threads: fc.array(
        fc.record({
          key: fc.constantFrom('a', 'b', 'c', 'd'),
          kind: fc.constantFrom(...kinds),
          cpuMs: fc.double({ min: 0, max: 200, noNaN: true }),
          runQueueMs: fc.double({ min: 0, max: 200, noNaN: true }),
          voluntary: fc.nat(50),
        }),
        { maxLength: 4 },
      ),
    }),
    { maxLength: 700 },
  )
  .map((ws) => {
    let t = 0;
    return ws.map((w) => {
      const out = { startMs: t, wallMs: w.wallMs, threads: w.threads.map((s) => ({ ...s, name: 'x' })) };
      t += w.wallMs;
      return out;
    });
  });

describe('timeline', () => {
  it('phases are contiguous, in order, cover the whole run, and match the windows they mark', () => {
    fc.assert(
      fc.property(rawWindows, fc.boolean(), (raw, startedHere) => {
        const windows = summarizeWindows(raw);
        const phases = findPhases(windows, startedHere);
        const total = raw.reduce((a, w) => a + w.wallMs, 0);
        if (raw.length === 0) {
          expect(phases).toEqual([]);
          return;
        }
        expect(phases.map((p) => p.name).join(',')).toMatch(/^(start-up,)?steady(,shutdown)?$/);
        if (!startedHere) expect(phases[0]!.name).toBe('steady');
        expect(phases.reduce((a, p) => a + p.wallMs, 0)).toBeCloseTo(total, 6);
        for (const p of phases) {
          const marked = windows.filter((w) => w.phase === p.name).reduce((a, w) => a + w.wallMs, 0);
          expect(marked).toBeCloseTo(p.wallMs, 6);
          expect(p.computeShare).toBeGreaterThanOrEqual(0);
          expect(p.computeShare).toBeLessThanOrEqual(1);
        }
        // The steady state is at least half of the run whenever an edge was set apart.
        if (phases.length > 1)
          expect(phases.find((p) => p.name === 'steady')!.wallMs).toBeGreaterThanOrEqual(total / 2 - 1e-6);
      }),
    );
  });

  it('a start-up and a shutdown set apart together leave the steady state at least half the run', () => {
    // Found by the property above: each edge was checked against the whole run, not against what
    // the other edge had left, so together they could take more than half.
    const thread = (cpuMs: number, runQueueMs = 0) => ({
      key: 'a',
      kind: 'main' as const,
      cpuMs,
      runQueueMs,
      voluntary: 0,
      name: 'x',
    });
    const raw = [
      { startMs: 0, wallMs: 48.01146132091879, threads: [thread(24.005730660459395)] },
      { startMs: 48.01146132091879, wallMs: 115.03798097182637, threads: [] },
      { startMs: 163.04944229274517, wallMs: 13.165952697001432, threads: [] },
      { startMs: 176.2153949897466, wallMs: 1, threads: [thread(40.096237173954506)] },
      { startMs: 177.2153949897466, wallMs: 79.19247434790903, threads: [thread(0, 3.552713678800502e-15)] },
    ];
    const total = raw.reduce((a, w) => a + w.wallMs, 0);
    const phases = findPhases(summarizeWindows(raw), true);
    const steady = phases.find((p) => p.name === 'steady')!;
    expect(steady.wallMs).toBeGreaterThanOrEqual(total / 2 - 1e-9);
  });

  it('compaction keeps wall, CPU and waits, and at most MAX_TIMELINE_WINDOWS windows per phase run', () => {
    fc.assert(
      fc.property(rawWindows, (raw) => {
        const windows = summarizeWindows(raw);
        findPhases(windows);
        const compact = compactTimeline(windows);
        const sum = (ws: typeof windows, f: (w: (typeof windows)[number]) => number) =>
          ws.reduce((a, w) => a + f(w), 0);
        expect(sum(compact, (w) => w.wallMs)).toBeCloseTo(
          sum(windows, (w) => w.wallMs),
          6,
        );
        expect(sum(compact, (w) => w.cpuMs)).toBeCloseTo(
          sum(windows, (w) => w.cpuMs),
          6,
        );
        expect(sum(compact, (w) => w.runQueueMs + w.lockWaitMs)).toBeCloseTo(
          sum(windows, (w) => w.runQueueMs + w.lockWaitMs),
          6,
        );
        expect(compact.length).toBeLessThanOrEqual(Math.max(MAX_TIMELINE_WINDOWS, 3));
      }),
    );
  });

  it('threadKinds: the thread whose id is the pid is main; names decide where they say', () => {
    const k = threadKinds(
      100,
      [
        { tid: 100, name: 'node' },
        { tid: 101, name: 'DelayedTaskSche' },
        { tid: 102, name: 'node' },
        { tid: 103, name: 'node' },
        { tid: 104, name: 'node' },
        { tid: 105, name: 'node' },
        { tid: 106, name: 'node' },
        { tid: 110, name: 'libuv-worker' },
        { tid: 111, name: 'node' },
      ],
      'node',
    );
    expect([...k.values()]).toEqual([
      'main',
      'runtime-helper',
      'runtime-helper',
      'runtime-helper',
      'runtime-helper',
      'runtime-helper',
      'inspector',
      'thread-pool',
      'other',
    ]);
    const py = threadKinds(
      7,
      [
        { tid: 9, name: 'python3' },
        { tid: 7, name: 'python3' },
      ],
      'python',
    );
    expect(py.get(7)).toBe('main');
    expect(py.get(9)).toBe('other');
  });
});
