import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBenchResults } from '../scripts/validate-bench.mjs';
import {
  formatBytes,
  formatDetails,
  formatNumber,
  formatRange,
  formatRatio,
  formatThreshold,
  formatValue,
  inSet,
} from '../src/lib/bench';
import { siteDir } from './browser';

describe('formatting the benchmark numbers', () => {
  it('formats with grouping and a precision that suits the size', () => {
    expect(formatNumber(5123.4)).toBe('5,123');
    expect(formatNumber(262.7)).toBe('263');
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(0.1234)).toBe('0.123');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-1500)).toBe('-1,500');
    expect(formatValue(1250000, 'tasks/s')).toBe('1,250,000 tasks/s');
    expect(formatValue(5.5, 'ms')).toBe('5.50 ms');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(23068672)).toBe('22.0 MiB');
    expect(formatBytes(25769803776)).toBe('24.0 GiB');
    expect(formatRatio(19.5)).toBe('19.5×');
    expect(formatRange({ min: 2037.2, max: 2749 }, 'ms')).toBe('2,037 – 2,749');
    expect(formatRange({ min: 1000, max: 2_000_000 }, 'bytes')).toBe('1,000 B – 1.91 MiB');
    expect(formatDetails({ workers: 2, efficiency: 0.459, api: 'map' })).toBe(
      'workers 2 · efficiency 0.459 · api map',
    );
    expect(formatRatio(0.0459)).toBe('0.046×');
    expect(formatRatio(1.895)).toBe('1.90×');
    expect(formatThreshold({ threshold: 3, direction: 'at-least' })).toBe('≥ 3.00×');
    expect(formatThreshold({ threshold: 0.95, direction: 'at-least' })).toBe('≥ 0.950×');
    expect(formatThreshold({ threshold: 1, direction: 'at-most' })).toBe('≤ 1.00×');
  });

  it('ids on a page that shows several results files: the main one as is, the others suffixed', () => {
    expect(inSet('overhead-async', 'latest')).toBe('overhead-async');
    expect(inSet('overhead-async', 'node24')).toBe('overhead-async-node24');
  });
});

describe('the results files', () => {
  it('the test fixture has the shape the pages render', () => {
    const fixture = JSON.parse(readFileSync(join(siteDir, 'test/fixtures/bench-results.json'), 'utf8'));
    expect(validateBenchResults(fixture)).toEqual([]);
  });

  it('the validator reports what is wrong, with where', () => {
    expect(validateBenchResults({ schemaVersion: 2, suites: [] })).toEqual(
      expect.arrayContaining([
        '$.schemaVersion: must be 1; got 2',
        '$.generatedAt: must be a non-empty string; got nothing',
        '$.machine: must be an object; got nothing',
      ]),
    );
  });
});
