import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { type BenchProgress, findPython, runBench, validateResults } from '../dist/index.js';
import { PAYLOAD_SIZES, sizeLabel } from '../dist/suites/payload.js';

const schema = JSON.parse(readFileSync(new URL('../results/schema.json', import.meta.url), 'utf8'));
const schemaAccepts = new Ajv2020({ allErrors: true, validateFormats: false }).compile(schema);
const python = findPython(process.env.FORKROAD_PYTHON ?? 'python3');

/** Smoke runs take seconds; the generous limit is for a busy machine. */
const LIMIT = 180_000;

describe('the start-up and payload suites (smoke)', () => {
  it(
    'startup: every pool answers, a fresh worker costs more than a warm round trip, Python rows when python3 is there',
    async () => {
      const events: BenchProgress[] = [];
      const results = await runBench({
        mode: 'smoke',
        suites: ['startup', 'python'],
        onProgress: (e) => events.push(e),
      });
      expect(validateResults(results)).toEqual([]);
      expect(schemaAccepts(results)).toBe(true);
      const [suite] = results.suites;
      expect(suite?.id).toBe('startup');
      const [first, trip] = suite!.experiments;
      expect(first?.id).toBe('startup-first-result');
      expect(trip?.id).toBe('startup-round-trip');
      const labels = (runtime: string) =>
        first!.rows.filter((r) => r.runtime === runtime).map((r) => r.label);
      expect(labels('node')).toEqual(['async', 'threads', 'processes']);
      expect(labels('python')).toEqual([
        'threads',
        'processes (fork)',
        'processes (forkserver)',
        'processes (spawn)',
      ]);
      for (const row of first!.rows.filter((r) => r.runtime === 'node')) {
        expect(row.median).toBeGreaterThan(0);
        const warm = trip!.rows.find((r) => r.runtime === 'node' && r.label === row.label)!;
        // A new worker thread or process is a new isolate: it costs more than a call to a warm one.
        if (row.label !== 'async') expect(row.median).toBeGreaterThan(warm.median);
      }
      const pythonRows = suite!.experiments.flatMap((e) => e.rows.filter((r) => r.runtime === 'python'));
      if (python) expect(pythonRows.every((r) => r.status === undefined && r.samples > 0)).toBe(true);
      else expect(pythonRows.every((r) => r.status === 'skipped')).toBe(true);
      const steps = events.filter((e) => e.type === 'step');
      expect(steps.length).toBe(events.find((e) => e.type === 'suite-start')!.total);
    },
    LIMIT,
  );

  it(
    'payload: a row per size and way of sending, each checked by the worker',
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['payload'] });
      expect(validateResults(results)).toEqual([]);
      expect(schemaAccepts(results)).toBe(true);
      const [experiment] = results.suites[0]!.experiments;
      expect(experiment?.id).toBe('payload-to-worker');
      const sizes = PAYLOAD_SIZES.smoke.bytes;
      expect(experiment!.rows.map((r) => r.label)).toEqual(
        sizes.flatMap((bytes) =>
          ['threads copy', 'threads transfer', 'processes copy'].map((way) => `${way} ${sizeLabel(bytes)}`),
        ),
      );
      for (const row of experiment!.rows) {
        expect(row.runtime).toBe('node');
        expect(row.samples).toBe(PAYLOAD_SIZES.smoke.reps);
        expect(sizes).toContain(row.details?.bytes);
      }
    },
    LIMIT,
  );

  it('names sizes as the guide does', () => {
    expect([1024, 64 * 1024, 1024 ** 2, 50 * 1024 ** 2].map(sizeLabel)).toEqual([
      '1 KB',
      '64 KB',
      '1 MB',
      '50 MB',
    ]);
  });
});
