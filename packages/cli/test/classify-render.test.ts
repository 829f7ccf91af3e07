import { describe, expect, it } from 'vitest';
import { barParts, renderBar } from '../src/classify/render.js';

describe('the time bar', () => {
  it('always fills its width, with parts in proportion', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const [onCpuMs, runQueueMs, blockedMs] = [random(), random(), random()].map((x) =>
        x < 0.1 ? 0 : x * 10 ** Math.floor(random() * 6),
      ) as [number, number, number];
      const width = 1 + Math.floor(random() * 200);
      const p = barParts({ onCpuMs, runQueueMs, blockedMs, lanes: 1 }, width);
      expect(p.cpu + p.queue + p.blocked).toBe(width);
      for (const n of [p.cpu, p.queue, p.blocked]) expect(n).toBeGreaterThanOrEqual(0);
      const total = onCpuMs + runQueueMs + blockedMs;
      if (total > 0) expect(Math.abs(p.cpu - (onCpuMs / total) * width)).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });

  it('draws on-CPU, waiting and blocked time', () => {
    const [bar, legend] = renderBar({ onCpuMs: 50, runQueueMs: 25, blockedMs: 25, lanes: 1 }, { width: 8 });
    expect(bar).toBe('████▓▓░░');
    expect(legend).toContain('on CPU 50%');
    expect(legend).toContain('waiting for a CPU 25%');
    expect(legend).toContain('blocked 25%');
  });

  it('an empty measurement draws an all-blocked bar', () => {
    expect(barParts({ onCpuMs: 0, runQueueMs: 0, blockedMs: 0, lanes: 1 }, 10)).toEqual({
      cpu: 0,
      queue: 0,
      blocked: 10,
    });
  });
});
