// Properties of the pure logic: labelling, confidence, Amdahl, Karp–Flatt, speedup estimates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amdahl,
  applyPenalties,
  baseConfidence,
  computeShare,
  defaultPoolSize,
  estimateSpeedups,
  karpFlatt,
  kindOf,
  MAX_POOL_WORKERS,
  timeBreakdown,
} from '../src/analysis.js';
import type { WorkloadKind } from '../src/types.js';

const rank: Record<WorkloadKind, number> = { 'io-bound': 0, mixed: 1, 'cpu-bound': 2 };
const share = fc.double({ min: 0, max: 1, noNaN: true });
const ms = fc.double({ min: 0, max: 1e6, noNaN: true });
const positiveMs = fc.double({ min: 0.001, max: 1e6, noNaN: true });
const workers = fc.integer({ min: 1, max: 1024 });

describe('labelling', () => {
  it('is monotonic in the compute share', () => {
    fc.assert(
      fc.property(share, share, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rank[kindOf(lo)]).toBeLessThanOrEqual(rank[kindOf(hi)]);
      }),
    );
  });

  it('labels the ends and the middle', () => {
    expect(kindOf(0)).toBe('io-bound');
    expect(kindOf(0.5)).toBe('mixed');
    expect(kindOf(1)).toBe('cpu-bound');
  });

  it('confidence stays within 0..1, and penalties never raise it', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: false }),
        fc.array(fc.record({ factor: fc.double({ noNaN: false }), reason: fc.constant('x') }), {
          maxLength: 5,
        }),
        (s, penalties) => {
          const base = baseConfidence(s);
          expect(base).toBeGreaterThanOrEqual(0.5);
          expect(base).toBeLessThanOrEqual(1);
          const c = applyPenalties(base, penalties);
          expect(c).toBeGreaterThanOrEqual(0);
          expect(c).toBeLessThanOrEqual(base);
        },
      ),
    );
  });

  it('confidence grows towards the far end of the cpu-bound and io-bound ranges', () => {
    fc.assert(
      fc.property(share, share, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        if (kindOf(lo) === 'cpu-bound') expect(baseConfidence(hi)).toBeGreaterThanOrEqual(baseConfidence(lo));
        if (kindOf(hi) === 'io-bound') expect(baseConfidence(lo)).toBeGreaterThanOrEqual(baseConfidence(hi));
      }),
    );
  });

  it('compute share is within 0..1 and grows with CPU and run-queue time', () => {
    fc.assert(
      fc.property(positiveMs, ms, ms, ms, (wall, cpu, queue, extra) => {
        const s = computeShare(wall, cpu, queue);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(computeShare(wall, cpu + extra, queue)).toBeGreaterThanOrEqual(s - 1e-9);
        expect(computeShare(wall, cpu, queue + extra)).toBeGreaterThanOrEqual(s - 1e-9);
      }),
    );
  });

  it('compute share does not depend on run-queue wait (the machine load)', () => {
    fc.assert(
      fc.property(ms, ms, ms, (cpu, blocked, queue) => {
        fc.pre(cpu + blocked > 0.001);
        expect(computeShare(cpu + blocked + queue, cpu, queue)).toBeCloseTo(cpu / (cpu + blocked), 6);
      }),
    );
    // Starved of CPU, never blocked: still CPU-bound.
    expect(kindOf(computeShare(1000, 300, 700))).toBe('cpu-bound');
  });

  it('the time breakdown adds up to wall × lanes', () => {
    fc.assert(
      fc.property(positiveMs, ms, ms, (wall, cpu, queue) => {
        const t = timeBreakdown(wall, cpu, queue);
        expect(t.lanes).toBeGreaterThanOrEqual(1);
        const total = wall * t.lanes;
        expect(Math.abs(t.onCpuMs + t.runQueueMs + t.blockedMs - total)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, total),
        );
      }),
    );
  });
});

describe('Amdahl and Karp–Flatt', () => {
  it('amdahl is within 1..n, falls with the serial fraction, rises with n', () => {
    fc.assert(
      fc.property(share, share, workers, workers, (s1, s2, n1, n2) => {
        const a = amdahl(s1, n1);
        expect(a).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(a).toBeLessThanOrEqual(n1 + 1e-9);
        const [slo, shi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(amdahl(shi, n1)).toBeLessThanOrEqual(amdahl(slo, n1) + 1e-9);
        const [nlo, nhi] = n1 <= n2 ? [n1, n2] : [n2, n1];
        expect(amdahl(s1, nhi)).toBeGreaterThanOrEqual(amdahl(s1, nlo) - 1e-9);
      }),
    );
  });

  it('karpFlatt inverts amdahl', () => {
    fc.assert(
      fc.property(share, fc.integer({ min: 2, max: 256 }), (s, p) => {
        expect(karpFlatt(amdahl(s, p), p)).toBeCloseTo(s, 6);
      }),
    );
  });

  it('karpFlatt is within 0..1 for any measured speedup', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), fc.integer({ min: -3, max: 64 }), (speedup, p) => {
        const e = karpFlatt(speedup, p);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('estimateSpeedups', () => {
  const input = fc.record({
    wallMs: positiveMs,
    cpuMs: ms,
    serialMs: ms,
    threadPoolCpuMs: ms,
    capacity: fc.double({ min: 1, max: 128, noNaN: true }),
    threadPoolSize: fc.integer({ min: 1, max: 16 }),
    workers: fc.record({ async: workers, threads: workers, processes: workers }),
    serialFraction: fc.option(
      fc.record({ async: share, threads: share, processes: share }, { requiredKeys: [] }),
      {
        nil: undefined,
      },
    ),
  });

  it('is at least 1, at most the workers, and threads/processes never exceed the free cores', () => {
    fc.assert(
      fc.property(input, (i) => {
        const out = estimateSpeedups(i);
        for (const model of ['async', 'threads', 'processes'] as const) {
          const e = out[model];
          expect(e.speedup).toBeGreaterThanOrEqual(1);
          expect(e.speedup).toBeLessThanOrEqual(Math.max(1, i.workers[model]) + 1e-9);
          expect(e.serialFraction).toBeGreaterThanOrEqual(0);
          expect(e.serialFraction).toBeLessThanOrEqual(1);
          expect(e.method).toBe(i.serialFraction?.[model] === undefined ? 'amdahl' : 'karp-flatt');
        }
        // A CPU-bound workload (CPU ≥ wall) cannot be sped up beyond the free cores.
        if (i.cpuMs >= i.wallMs) {
          expect(out.threads.speedup).toBeLessThanOrEqual(Math.max(1, i.capacity) + 1e-9);
          expect(out.processes.speedup).toBeLessThanOrEqual(Math.max(1, i.capacity) + 1e-9);
        }
      }),
    );
  });

  it('more CPU per unit of work never raises an estimate', () => {
    fc.assert(
      fc.property(input, ms, (i, extra) => {
        const a = estimateSpeedups(i);
        const b = estimateSpeedups({ ...i, cpuMs: i.cpuMs + extra });
        for (const model of ['async', 'threads', 'processes'] as const) {
          expect(b[model].speedup).toBeLessThanOrEqual(a[model].speedup + 1e-9);
        }
      }),
    );
  });

  it('the default pool keeps the free CPUs busy: one per CPU when CPU-bound, more when waiting', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 256, noNaN: true }), share, share, (capacity, a, b) => {
        const n = defaultPoolSize(capacity, a);
        expect(Number.isInteger(n)).toBe(true);
        expect(n).toBeGreaterThanOrEqual(Math.min(Math.round(capacity), MAX_POOL_WORKERS));
        expect(n).toBeLessThanOrEqual(MAX_POOL_WORKERS);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(defaultPoolSize(capacity, hi)).toBeLessThanOrEqual(defaultPoolSize(capacity, lo));
      }),
    );
    expect(defaultPoolSize(4, 1)).toBe(4);
    expect(defaultPoolSize(2, 0.1)).toBe(20);
    expect(defaultPoolSize(2, 0)).toBe(MAX_POOL_WORKERS);
  });

  it('async cannot overlap CPU on the main thread', () => {
    const out = estimateSpeedups({
      wallMs: 100,
      cpuMs: 100,
      serialMs: 100,
      threadPoolCpuMs: 0,
      capacity: 8,
      threadPoolSize: 4,
      workers: { async: 100, threads: 8, processes: 8 },
    });
    expect(out.async.speedup).toBe(1);
    expect(out.threads.speedup).toBeCloseTo(8);
    expect(out.processes.limitedBy).toBe('workers');
  });

  it('thread-pool work is capped by the pool for async and threads, not for processes', () => {
    const out = estimateSpeedups({
      wallMs: 100,
      cpuMs: 100,
      serialMs: 1,
      threadPoolCpuMs: 99,
      capacity: 16,
      threadPoolSize: 4,
      workers: { async: 100, threads: 16, processes: 16 },
    });
    expect(out.async.limitedBy).toBe('thread-pool');
    expect(out.async.speedup).toBeCloseTo(400 / 99);
    expect(out.threads.limitedBy).toBe('thread-pool');
    expect(out.processes.speedup).toBeCloseTo(16);
  });
});
