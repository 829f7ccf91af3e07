import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { type BenchResults, SUITE_IDS, validateResults } from '../dist/index.js';

const committed = (name: string) =>
  JSON.parse(readFileSync(new URL(`../results/${name}`, import.meta.url), 'utf8')) as BenchResults;
const latest = committed('latest.json');
const node24 = committed('node24.json');
const schema = JSON.parse(readFileSync(new URL('../results/schema.json', import.meta.url), 'utf8'));

const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats would be one more dependency for one format.
ajv.addFormat(
  'date-time',
  (value: string) => /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value)),
);
const schemaAccepts = ajv.compile(schema);

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A small valid document, independent of the snapshot. */
function minimal(): BenchResults {
  return {
    schemaVersion: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    mode: 'smoke',
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryBytes: 1024,
      platform: 'linux',
      arch: 'x64',
      node: 'v20.0.0',
      python: null,
      commit: null,
    },
    suites: [
      {
        id: 'cpu',
        title: 'CPU',
        status: 'ok',
        experiments: [
          {
            id: 'cpu-primes',
            title: 'Primes',
            description: 'Trial division.',
            params: { numbers: 6 },
            unit: 'ms',
            baseline: 'sequential',
            ratioLabel: 'speedup',
            rows: [
              {
                label: 'sequential',
                runtime: 'node',
                model: 'sequential',
                tool: 'for … of',
                median: 10,
                min: 9,
                max: 12,
                samples: 3,
                ratio: 1,
              },
              {
                label: 'threads ×2',
                runtime: 'node',
                model: 'threads',
                tool: '@forkroad/threads',
                median: 5,
                min: 5,
                max: 6,
                samples: 3,
                ratio: 2,
                details: { workers: 2 },
              },
              {
                label: 'sequential',
                runtime: 'python',
                model: 'sequential',
                tool: 'for loop',
                median: 0,
                min: 0,
                max: 0,
                samples: 0,
                status: 'skipped',
                note: 'python3 was not found',
              },
            ],
            notes: [],
          },
        ],
      },
    ],
  };
}

describe('results/schema.json and validateResults', () => {
  it('the committed snapshot (results/latest.json) is valid, by both', () => {
    expect(validateResults(latest)).toEqual([]);
    expect(schemaAccepts(latest), ajv.errorsText(schemaAccepts.errors)).toBe(true);
  });

  it('the committed snapshot is a full run of every suite, with the machine described', () => {
    expect(latest.mode).toBe('full');
    expect(latest.suites.map((s) => s.id)).toEqual([...SUITE_IDS]);
    expect(latest.machine.cores).toBeGreaterThan(0);
    for (const suite of latest.suites) {
      expect(suite.experiments.length).toBeGreaterThan(0);
      for (const experiment of suite.experiments) expect(experiment.rows.length).toBeGreaterThan(0);
    }
  });

  it('the committed Node 24 snapshot (results/node24.json) is valid: overhead and pools, run on Node 24', () => {
    expect(validateResults(node24)).toEqual([]);
    expect(schemaAccepts(node24), ajv.errorsText(schemaAccepts.errors)).toBe(true);
    expect(node24.machine.node).toMatch(/^v24\./);
    expect(node24.suites.map((s) => s.id)).toEqual(['overhead', 'pools']);
  });

  it('a minimal document is valid, by both', () => {
    expect(validateResults(minimal())).toEqual([]);
    expect(schemaAccepts(minimal()), ajv.errorsText(schemaAccepts.errors)).toBe(true);
  });

  const bad: [string, (doc: any) => void, RegExp, boolean][] = [
    ['a wrong schemaVersion', (d) => (d.schemaVersion = 2), /^\$\.schemaVersion: must be 1/, true],
    [
      'an unknown mode',
      (d) => (d.mode = 'fast'),
      /^\$\.mode: must be one of "smoke", "quick", "full"; got "fast"/,
      true,
    ],
    [
      'a missing machine field',
      (d) => delete d.machine.cores,
      /^\$\.machine\.cores: must be a finite number; got nothing/,
      true,
    ],
    [
      'python as a number',
      (d) => (d.machine.python = 3),
      /^\$\.machine\.python: must be a non-empty string or null/,
      true,
    ],
    [
      'a suite id that is no id',
      (d) => (d.suites[0].id = 'GPU suite'),
      /^\$\.suites\[0\]\.id: must be a suite id/,
      true,
    ],
    [
      'an unknown backend',
      (d) => (d.backends = ['gpu']),
      /^\$\.backends: must be an array of async, threads, processes/,
      true,
    ],
    [
      'a bad unit',
      (d) => (d.suites[0].experiments[0].unit = 's'),
      /^\$\.suites\[0\]\.experiments\[0\]\.unit: /,
      true,
    ],
    [
      'a median that is not a number',
      (d) => (d.suites[0].experiments[0].rows[1].median = '5'),
      /^\$\.suites\[0\]\.experiments\[0\]\.rows\[1\]\.median: must be a finite number; got "5"/,
      true,
    ],
    [
      'a bad model',
      (d) => (d.suites[0].experiments[0].rows[0].model = 'fibers'),
      /rows\[0\]\.model: must be one of/,
      true,
    ],
    [
      'a bad runtime',
      (d) => (d.suites[0].experiments[0].rows[0].runtime = 'ruby'),
      /rows\[0\]\.runtime: must be one of/,
      true,
    ],
    [
      'a misspelt field',
      (d) => (d.suites[0].experiments[0].rows[0].medain = 1),
      /rows\[0\]\.medain: is not a field/,
      true,
    ],
    [
      'params holding an object',
      (d) => (d.suites[0].experiments[0].params.x = {}),
      /params\.x: must be a finite number or a string/,
      true,
    ],
    [
      'notes not strings',
      (d) => (d.suites[0].experiments[0].notes = [1]),
      /experiments\[0\]\.notes: must be an array of strings/,
      true,
    ],
    // Beyond what JSON Schema can say:
    [
      'a baseline that names no row',
      (d) => (d.suites[0].experiments[0].baseline = 'nope'),
      /experiments\[0\]\.baseline: names no row: "nope"/,
      false,
    ],
    [
      'a label twice in one runtime',
      (d) => (d.suites[0].experiments[0].rows[1].label = 'sequential'),
      /rows\[1\]\.label: "sequential" appears twice among the node rows/,
      false,
    ],
    [
      'a median outside min–max',
      (d) => (d.suites[0].experiments[0].rows[0].median = 20),
      /rows\[0\]\.median: must lie between min and max/,
      false,
    ],
    [
      'a measured row with no samples',
      (d) => (d.suites[0].experiments[0].rows[0].samples = 0),
      /rows\[0\]\.samples: must be at least 1/,
      false,
    ],
    [
      'a suite twice',
      (d) => d.suites.push(clone(d.suites[0])),
      /suites\[1\]\.id: suite "cpu" appears twice/,
      false,
    ],
  ];

  for (const [what, spoil, message, schemaToo] of bad) {
    it(`rejects ${what}, naming the field`, () => {
      const doc = minimal();
      spoil(doc);
      const problems = validateResults(doc);
      expect(problems.length).toBeGreaterThan(0);
      expect(
        problems.some((p) => message.test(p)),
        problems.join('\n'),
      ).toBe(true);
      if (schemaToo) expect(schemaAccepts(doc)).toBe(false);
    });
  }

  it('rejects what is not an object at all', () => {
    expect(validateResults(null)).toEqual(['$: must be an object; got null']);
    expect(validateResults([])[0]).toMatch(/^\$: must be an object; got an array/);
  });

  it('accepts the optional fields', () => {
    const doc = minimal() as any;
    doc.durationMs = 1000;
    doc.selection = ['cpu', 'python'];
    doc.machine.loadAverage = [1.5, 1, 0.5];
    doc.machine.loadAverageAfter = [1, 1, 1];
    doc.suites[0].note = 'Load average 1.5';
    expect(validateResults(doc)).toEqual([]);
    expect(schemaAccepts(doc), ajv.errorsText(schemaAccepts.errors)).toBe(true);
  });
});
