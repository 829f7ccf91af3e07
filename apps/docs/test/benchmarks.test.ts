import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeSeries } from '../src/components/Bench/SizeChart';
import { speedupSeries } from '../src/components/Bench/SpeedupChart';
import { LOG_SPAN } from '../src/components/Bench/scale';
import {
  type BenchResults,
  formatBytes,
  formatCell,
  formatDetails,
  formatLoad,
  formatRange,
  formatRatio,
  formatValue,
  headerUnit,
  isSkipped,
  rowTestId,
} from '../src/lib/bench';
import { collectProblems, openSite, type Site, siteDir } from './browser';

// The results the site was built from (scripts/prepare.mjs copies them there before the build).
const results: BenchResults = JSON.parse(
  readFileSync(join(siteDir, 'src/generated/bench-results.json'), 'utf8'),
);

describe('the benchmark pages', () => {
  let site: Site;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(async () => {
    await site?.close();
  });

  it('describe the machine from the results JSON', async () => {
    const page = await site.context.newPage();
    const problems = collectProblems(page);
    await page.goto(new URL('docs/benchmarks', site.url).href);
    const machine = page.getByTestId('bench-machine');
    const text = (await machine.textContent()) ?? '';
    expect(text).toContain(results.machine.cpuModel);
    expect(text).toContain(formatBytes(results.machine.memoryBytes));
    expect(text).toContain(results.machine.node);
    expect(text).toContain(results.generatedAt);
    if (results.machine.python) expect(text).toContain(results.machine.python);
    if (results.machine.loadAverage) expect(text).toContain(formatLoad(results.machine.loadAverage));
    for (const suite of results.suites) {
      expect(await page.getByTestId('bench-suites').textContent()).toContain(suite.title);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  for (const suite of results.suites) {
    it(`show every row of the ${suite.id} suite as the JSON has it`, async () => {
      const page = await site.context.newPage();
      const problems = collectProblems(page);
      await page.goto(new URL(`docs/benchmarks/${suite.id}`, site.url).href);
      await expect
        .poll(() => page.getByTestId(`bench-suite-${suite.id}`).getAttribute('data-status'))
        .toBe(suite.status);
      let checked = 0;
      for (const experiment of suite.experiments) {
        const section = page.getByTestId(`bench-experiment-${experiment.id}`);
        expect(await section.locator('h2').textContent()).toBe(experiment.title);
        const unit = headerUnit(experiment.unit);
        if (unit) expect(await section.locator('thead').textContent()).toContain(`median (${unit})`);
        for (const [index, row] of experiment.rows.entries()) {
          const tr = page.getByTestId(rowTestId(experiment, index));
          const run = (await tr.locator('td').first().textContent()) ?? '';
          expect(run).toContain(row.label);
          expect(run).toContain(row.tool);
          if (row.details && Object.keys(row.details).length > 0) {
            expect(await tr.locator('[data-cell="details"]').textContent()).toBe(formatDetails(row.details));
          }
          if (isSkipped(row)) {
            expect(await tr.locator('[data-cell="skipped"]').textContent()).toContain('skipped');
            continue;
          }
          expect(await tr.locator('[data-cell="median"]').textContent()).toBe(
            formatCell(row.median, experiment.unit),
          );
          expect(await tr.locator('[data-cell="range"]').textContent()).toBe(
            formatRange(row, experiment.unit),
          );
          expect(await tr.locator('[data-cell="samples"]').textContent()).toBe(String(row.samples));
          if (row.ratio !== undefined) {
            expect(await tr.locator('[data-cell="ratio"]').textContent()).toBe(formatRatio(row.ratio));
          }
          checked++;
        }
        const speedupRuntimes = (['node', 'python'] as const).filter(
          (runtime) => speedupSeries(experiment, runtime).length > 0,
        );
        if (speedupRuntimes.length > 0) {
          // Speedups: one chart per runtime, each line labelled with its last measured ratio.
          for (const runtime of speedupRuntimes) {
            const chart =
              (await page.getByTestId(`bench-speedup-${experiment.id}-${runtime}`).textContent()) ?? '';
            for (const series of speedupSeries(experiment, runtime)) {
              expect(chart).toContain(`${series.model} ${formatRatio(series.points.at(-1)!.speedup)}`);
            }
          }
        } else if (sizeSeries(experiment).length > 0) {
          // Sizes: one line per way of sending, labelled with its value at the largest size.
          const chart = page.getByTestId(`bench-size-chart-${experiment.id}`);
          expect(await chart.getAttribute('data-scale')).toBe('log');
          const text = (await chart.textContent()) ?? '';
          for (const series of sizeSeries(experiment)) {
            expect(text).toContain(formatValue(series.points.at(-1)!.ms, 'ms'));
          }
        } else if (experiment.rows.some((row) => !isSkipped(row))) {
          // The chart labels each bar with the same formatted median, on a log scale when the
          // values span orders of magnitude.
          const chart = page.getByTestId(`bench-chart-${experiment.id}`);
          const text = (await chart.textContent()) ?? '';
          const measured = experiment.rows.filter((row) => !isSkipped(row));
          expect(text).toContain(formatValue(measured[0]!.median, experiment.unit));
          const values = measured.flatMap((row) => [row.min, row.median, row.max]).filter((v) => v > 0);
          expect(await chart.getAttribute('data-scale')).toBe(
            Math.max(...values) / Math.min(...values) >= LOG_SPAN ? 'log' : 'linear',
          );
        }
      }
      if (suite.status === 'ok') expect(checked).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
