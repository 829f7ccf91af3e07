import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../dist/index.js';
import { evaluateTargets, formatTargets } from '../dist/report.js';

const committed = (name: string) =>
  JSON.parse(readFileSync(new URL(`../results/${name}`, import.meta.url), 'utf8')) as BenchResults;

describe('evaluateTargets on the committed results', () => {
  for (const name of ['latest.json', 'node24.json']) {
    it(`${name}: each target is met exactly when its ratio passes the threshold, with its numbers`, () => {
      const targets = evaluateTargets(committed(name));
      expect(targets.length).toBeGreaterThan(0);
      for (const t of targets) {
        const passes = t.direction === 'at-least' ? t.value >= t.threshold : t.value <= t.threshold;
        // value is rounded to 3 decimals: only a ratio that close to the threshold could differ.
        if (Math.abs(t.value - t.threshold) > 1e-3) expect(t.met).toBe(passes);
        expect(t.numbers).toMatch(/\d.* vs .*\d/);
      }
      expect(formatTargets(targets).map((l) => l.slice(0, 7))).toEqual(
        targets.map((t) => (t.met ? 'met    ' : 'NOT met')),
      );
    });
  }

  it('the Node 24 file holds the overhead and pools targets, not those of suites it did not run', () => {
    const ids = evaluateTargets(committed('node24.json')).map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['async-submit-vs-p-limit', 'threads-first-batch']));
    expect(ids).not.toContain('async-map-peak-rss');
  });
});
