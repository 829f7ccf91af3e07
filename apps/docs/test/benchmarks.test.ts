import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateTargets } from '@forkroad/bench/report';
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
  formatThreshold,
  formatValue,
  headerUnit,
  inSet,
  isSkipped,
  rowTestId,
} from '../src/lib/bench';
import { collectProblems, openSite, type Site, siteDir } from './browser';

// The results the site was built from (scripts/prepare.mjs copies them there before the build):
// every suite, and the overhead and pools suites under Node 24, shown on those pages too.
const generated = (file: string): BenchResults =>
  JSON.parse(readFileSync(join(siteDir, 'src/generated', file), 'utf8'));
const results = generated('bench-results.json');
const node24 = generated('bench-results-node24.json');
const sets = [
  { set: 'latest', data: results },
  { set: 'node24', data: node24 },
] as const;

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

  for (const { set, data } of sets) {
    for (const suite of data.suites) {
      it(`show every row of the ${suite.id} suite as ${set === 'latest' ? 'the JSON' : `the ${set} JSON`} has it`, async () => {
        const page = await site.context.newPage();
        const problems = collectProblems(page);
        await page.goto(new URL(`docs/benchmarks/${suite.id}`, site.url).href);
        // A page showing several files has one container per file: every lookup stays inside it.
        const shown = page.getByTestId(`bench-suite-${inSet(suite.id, set)}`);
        await expect.poll(() => shown.getAttribute('data-status')).toBe(suite.status);
        expect(await shown.getAttribute('data-node')).toBe(data.machine.node);
        if (set !== 'latest') {
          expect(await shown.locator('h2').first().textContent()).toBe(`On Node.js ${data.machine.node}`);
        }
        let checked = 0;
        for (const experiment of suite.experiments) {
          const section = shown.getByTestId(`bench-experiment-${experiment.id}`);
          const heading = section.locator(set === 'latest' ? 'h2' : 'h3');
          expect(await heading.textContent()).toBe(experiment.title);
          expect(await heading.getAttribute('id')).toBe(inSet(experiment.id, set));
          const unit = headerUnit(experiment.unit);
          if (unit) expect(await section.locator('thead').textContent()).toContain(`median (${unit})`);
          for (const [index, row] of experiment.rows.entries()) {
            const tr = shown.getByTestId(rowTestId(experiment, index));
            const run = (await tr.locator('td').first().textContent()) ?? '';
            expect(run).toContain(row.label);
            expect(run).toContain(row.tool);
            if (row.details && Object.keys(row.details).length > 0) {
              expect(await tr.locator('[data-cell="details"]').textContent()).toBe(
                formatDetails(row.details),
              );
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
                (await shown.getByTestId(`bench-speedup-${experiment.id}-${runtime}`).textContent()) ?? '';
              for (const series of speedupSeries(experiment, runtime)) {
                expect(chart).toContain(`${series.model} ${formatRatio(series.points.at(-1)!.speedup)}`);
              }
            }
          } else if (sizeSeries(experiment).length > 0) {
            // Sizes: one line per way of sending, labelled with its value at the largest size.
            const chart = shown.getByTestId(`bench-size-chart-${experiment.id}`);
            expect(await chart.getAttribute('data-scale')).toBe('log');
            const text = (await chart.textContent()) ?? '';
            for (const series of sizeSeries(experiment)) {
              expect(text).toContain(formatValue(series.points.at(-1)!.ms, 'ms'));
            }
          } else if (experiment.rows.some((row) => !isSkipped(row))) {
            // The chart labels each bar with the same formatted median, on a log scale when the
            // values span orders of magnitude.
            const chart = shown.getByTestId(`bench-chart-${experiment.id}`);
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
  }

  it('show Node 24 beside the main file on the overhead and pools pages, and on no other', async () => {
    expect(node24.machine.node).not.toBe(results.machine.node);
    for (const suite of results.suites) {
      const page = await site.context.newPage();
      await page.goto(new URL(`docs/benchmarks/${suite.id}`, site.url).href);
      await page.getByTestId(`bench-suite-${suite.id}`).waitFor();
      const expected = ['overhead', 'pools'].includes(suite.id) ? 1 : 0;
      expect(await page.getByTestId(`bench-suite-${inSet(suite.id, 'node24')}`).count()).toBe(expected);
      await page.close();
    }
  });

  it('the overhead page checks the targets on each results file, generated from the data', async () => {
    const page = await site.context.newPage();
    const problems = collectProblems(page);
    await page.goto(new URL('docs/benchmarks/overhead', site.url).href);
    for (const { set, data } of sets) {
      const table = page.getByTestId(`bench-targets-${set}`);
      expect(await table.locator('h3').textContent()).toBe(`On Node.js ${data.machine.node}`);
      const targets = evaluateTargets(data);
      expect(targets.length).toBeGreaterThan(0);
      expect(await table.locator('tbody tr').count()).toBe(targets.length);
      for (const target of targets) {
        const row = table.getByTestId(`bench-target-${set}-${target.id}`);
        expect(await row.locator('td').first().textContent()).toContain(target.description);
        expect(await row.locator('[data-cell="value"]').textContent()).toBe(formatRatio(target.value));
        expect(await row.locator('[data-cell="threshold"]').textContent()).toBe(formatThreshold(target));
        expect(await row.locator('[data-cell="met"]').textContent()).toBe(target.met ? 'met' : 'NOT met');
        expect(await row.getAttribute('data-met')).toBe(String(target.met));
        expect(await row.locator('[data-cell="numbers"]').textContent()).toBe(target.numbers);
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
