import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { searchFor } from './advisor-walk';
import { eachPage, settle, sitemapPaths, useSite } from './browser';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const FAILING = new Set(['serious', 'critical']);

// Every page of the sitemap, plus states the sitemap cannot name: the advisor asking for a
// count and showing a result, and the 404 page.
const paths = [
  ...sitemapPaths(),
  `/docs/advisor${searchFor('node', { 'fast-enough': 'no', workload: 'io' }, 'io-tasks')}`,
  `/docs/advisor${searchFor('python', { 'fast-enough': 'no', workload: 'io', 'io-tasks': 'many', 'io-many-libraries': 'blocking' })}`,
  '/no-such-page',
];

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousFindings(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: Finding[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  });
  return violations.filter((v) => FAILING.has(v.impact));
}

describe('axe-core on every page', () => {
  const site = useSite();

  for (const mode of ['light', 'dark'] as const) {
    it(`finds nothing serious or critical in ${mode} mode`, async () => {
      const failures: string[] = [];
      await eachPage(site(), paths, async (page, path) => {
        // The site follows the system's colour scheme (respectPrefersColorScheme).
        await page.emulateMedia({ colorScheme: mode });
        await page.goto(new URL(path.slice(1), site().url).href, { waitUntil: 'load' });
        await settle(page);
        const theme = await page.locator('html').getAttribute('data-theme');
        if (theme !== mode) failures.push(`${path}: data-theme is ${theme}, not ${mode}`);
        for (const finding of await seriousFindings(page)) {
          const where = finding.nodes
            .slice(0, 3)
            .map(
              (node) =>
                `${JSON.stringify(node.target)} ${node.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`,
            )
            .join('\n      ');
          failures.push(
            `${path} [${mode}] ${finding.impact} ${finding.id} (${finding.nodes.length}×): ${finding.help}\n      ${where}`,
          );
        }
      });
      expect(failures, failures.join('\n')).toEqual([]);
    }, 300_000);
  }
});
