import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sizeSeries } from '../src/components/Bench/SizeChart';
import { speedupSeries } from '../src/components/Bench/SpeedupChart';
import { valueScale } from '../src/components/Bench/scale';
import type { BenchResults } from '../src/lib/bench';
import {
  compareWithOne,
  findRow,
  formatDuration,
  machineCaveats,
  measuredFacts,
  separatelyMeasured,
} from '../src/lib/claims';
import { siteDir } from './browser';

// The committed snapshot the site builds from by default (scripts/prepare.mjs copies it).
const results: BenchResults = JSON.parse(
  readFileSync(join(siteDir, '../../packages/bench/results/latest.json'), 'utf8'),
);
const facts = measuredFacts(results);

const guideDir = join(siteDir, 'docs/guide');
const guidePages = readdirSync(guideDir)
  .filter((name) => /\.mdx?$/.test(name))
  .map((name) => ({ name, text: readFileSync(join(guideDir, name), 'utf8') }));
const measuredSource = readFileSync(join(siteDir, 'src/components/Measured/index.tsx'), 'utf8');

/** Every `<M fact="…" />` on the guide's pages, and every fact the comparison table names. */
function factsUsed(): Set<string> {
  const used = new Set<string>();
  for (const { text } of guidePages) for (const m of text.matchAll(/<M fact="([^"]+)"/g)) used.add(m[1]!);
  for (const m of measuredSource.matchAll(/fact(?:=|: )["']([^"']+)["']/g)) used.add(m[1]!);
  return used;
}

/** The number a formatted fact states ("32.6 ms" → 32.6, "2.10×" → 2.1, "1,255 ms" → 1255). */
function numberIn(text: string): number {
  return Number(/-?[\d,]+(\.\d+)?/.exec(text)![0].replaceAll(',', ''));
}

describe('the measured facts the guide states', () => {
  it('every fact a page names exists in the committed results', () => {
    const used = factsUsed();
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((fact) => facts[fact] === undefined);
    expect(missing, `facts the pages use but the results do not have: ${missing.join(', ')}`).toEqual([]);
  });

  it('speedups and their words agree with the cpu rows', () => {
    const cores = results.machine.cores;
    for (const [key, runtime, label] of [
      ['node.threads', 'node', `threads ×${cores}`],
      ['node.processes', 'node', `processes ×${cores}`],
      ['python.threads', 'python', `threads ×${cores}`],
      ['python.processes', 'python', `processes ×${cores}`],
    ] as const) {
      const row = findRow(results, 'cpu', 'cpu-primes', runtime, label)!;
      expect(numberIn(facts[`cpu.${key}.speedup`]!)).toBeCloseTo(row.ratio!, 1);
      const words = facts[`cpu.${key}.compared`]!;
      if (row.ratio! < 0.95) expect(words).toMatch(/^slower/);
      else if (row.ratio! > 1.05) expect(words).toMatch(/^faster/);
      else expect(words).toMatch(/^about as fast/);
    }
  });

  it('start-up, round trip, payload and memory facts are the rows’ medians', () => {
    const close = (fact: string, ms: number) => {
      const text = facts[fact]!;
      const value = text.endsWith('µs')
        ? numberIn(text) / 1000
        : text.endsWith(' s')
          ? numberIn(text) * 1000
          : numberIn(text);
      expect(Math.abs(value - ms) / ms, `${fact} = ${text}, row median ${ms} ms`).toBeLessThan(0.01);
    };
    close(
      'startup.node.threads',
      findRow(results, 'startup', 'startup-first-result', 'node', 'threads')!.median,
    );
    close(
      'startup.python.spawn',
      findRow(results, 'startup', 'startup-first-result', 'python', 'processes (spawn)')!.median,
    );
    close(
      'roundTrip.python.processes',
      findRow(results, 'startup', 'startup-round-trip', 'python', 'processes')!.median,
    );
    close(
      'payload.threads copy.50 MB',
      findRow(results, 'payload', 'payload-to-worker', 'node', 'threads copy 50 MB')!.median,
    );
    close(
      'payload.python pickle.1 MB',
      findRow(results, 'payload', 'payload-to-worker', 'python', 'processes pickle 1 MB')!.median,
    );
    expect(facts['memory.node.thread']).toMatch(/MiB$/);
    expect(facts['memory.python.thread']).toMatch(/KiB$/);
  });

  it('suites measured in a run of their own are named, and the round-trip sum says so', () => {
    const apart = separatelyMeasured(results).map((suite) => suite.id);
    for (const suite of results.suites) {
      expect(apart.includes(suite.id)).toBe(suite.note?.includes('Measured separately') ?? false);
    }
    expect(facts['cpu.python.processes.roundTripCaveat'] !== '').toBe(apart.includes('startup'));
  });

  it('the round trips of the cpu run are summed from the startup suite', () => {
    const trip = findRow(results, 'startup', 'startup-round-trip', 'python', 'processes')!.median;
    const tasks = results.suites.find((s) => s.id === 'cpu')!.experiments[0]!.params.numbers as number;
    expect(facts['cpu.python.processes.roundTrips']).toBe(formatDuration(trip * tasks));
  });

  it('the machine note says busy when the load average was half the cores or more, small up to 4 cores', () => {
    const machine = (cores: number, load?: number[]) =>
      machineCaveats({
        ...results,
        machine: { ...results.machine, cores, ...(load ? { loadAverage: load } : {}) },
      });
    expect(machine(2, [1.97, 2, 2])).toEqual({ small: true, busy: true, load: 1.97 });
    expect(machine(16, [0.2, 0.1, 0.1])).toEqual({ small: false, busy: false, load: 0.2 });
    expect(compareWithOne(0.794)).toBe('slower than the sequential loop');
    expect(compareWithOne(1.01)).toBe('about as fast as the sequential loop');
    expect(compareWithOne(1.43)).toBe('faster than the sequential loop');
    expect(formatDuration(0.0218)).toBe('21.8 µs');
    expect(formatDuration(10_030)).toBe('10.0 s');
  });
});

/**
 * A measured quantity typed into the prose would go stale when the data changes: numbers with a
 * unit of time, size or speedup must come from `<M fact=… />`. What remains after removing code,
 * components and front matter may only hold numbers that are not measurements (listed here).
 */
const NOT_MEASUREMENTS = [
  /\b4 threads by default\b/g, // libuv's default pool size, a documented constant
  /\bone core at 100 %/g, // the definition of CPU-bound
  /\b100 ms\)/g, // asyncio debug mode's slow-callback threshold, a documented constant
  /\b(?:1|64) KB\b|\b(?:1|10|50) MB\b/g, // the payload benchmark's input sizes, not its results
  /\ba 200 MB string\b/g, // an example input
];
const MEASURED_NUMBER =
  /\b\d[\d,.]*\s?(?:ms|µs|s|seconds?|milliseconds?|microseconds?|[KMG]i?B|bytes|×|x faster|%)(?![\w-])/g;

function prose(text: string): string {
  let out = text.replace(/^---\n[\s\S]*?\n---\n/, ''); // front matter
  out = out.replace(/```[\s\S]*?```/g, ''); // code blocks
  out = out.replace(/`[^`\n]*`/g, ''); // inline code
  out = out.replace(/<[A-Z][^>]*\/>/g, ''); // components
  out = out.replace(/^import .*$/gm, '');
  for (const allowed of NOT_MEASUREMENTS) out = out.replace(allowed, '');
  return out;
}

describe('the guide’s prose', () => {
  for (const { name, text } of guidePages) {
    it(`${name} states no measured number by hand`, () => {
      const found = [...prose(text).matchAll(MEASURED_NUMBER)].map((m) => m[0]);
      expect(found, `hand-written measurements in ${name}: use <M fact="…" />`).toEqual([]);
    });
  }
});

describe('the charts’ data', () => {
  it('property: a log or linear scale keeps order and stays within the axis', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (values) => {
          const scale = valueScale(values);
          const sorted = [...values].sort((a, b) => a - b);
          const positions = sorted.map((v) => scale.at(v));
          for (let i = 1; i < positions.length; i++)
            expect(positions[i]!).toBeGreaterThanOrEqual(positions[i - 1]!);
          for (const p of positions) {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1 + 1e-9);
          }
          expect(scale.log).toBe(sorted.at(-1)! / sorted[0]! >= 50);
        },
      ),
    );
  });

  it('speedup curves start at the sequential loop and end at the measured ratio', () => {
    const cpu = results.suites.find((s) => s.id === 'cpu')!.experiments[0]!;
    for (const runtime of ['node', 'python'] as const) {
      const series = speedupSeries(cpu, runtime);
      expect(series.map((s) => s.model).sort()).toEqual(['processes', 'threads']);
      for (const s of series) {
        expect(s.points[0]!.workers).toBe(1);
        const row = findRow(results, 'cpu', 'cpu-primes', runtime, `${s.model} ×${results.machine.cores}`)!;
        expect(s.points.at(-1)).toEqual({ workers: results.machine.cores, speedup: row.ratio });
      }
    }
  });

  it('payload lines: one per runtime, model and method, each over every size', () => {
    const payload = results.suites.find((s) => s.id === 'payload')!.experiments[0]!;
    const series = sizeSeries(payload);
    expect(series.map((s) => s.key)).toEqual([
      'node threads copy',
      'node threads transfer',
      'node processes copy',
      'python processes pickle',
    ]);
    const sizes = new Set(payload.rows.map((r) => r.details!.bytes));
    for (const s of series)
      expect(s.points.map((p) => p.bytes)).toEqual([...sizes].sort((a, b) => Number(a) - Number(b)));
  });
});
