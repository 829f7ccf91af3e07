import { describe, expect, it } from 'vitest';
import { collectProblems, eachPage, settle, sitemapPaths, useSite } from './browser';

const paths = sitemapPaths();

describe('every page in the sitemap', () => {
  const site = useSite();

  it('lists the guide, the advisor, the benchmarks, the CLI and the API reference', () => {
    for (const path of [
      '/',
      '/docs/intro',
      '/docs/guide/decision',
      '/docs/guide/patterns',
      '/docs/guide/comparison',
      '/docs/guide/races',
      '/docs/guide/at-scale',
      '/docs/advisor',
      '/docs/benchmarks',
      '/docs/benchmarks/io',
      '/docs/benchmarks/cpu',
      '/docs/benchmarks/overhead',
      '/docs/benchmarks/memory',
      '/docs/benchmarks/startup',
      '/docs/benchmarks/payload',
      '/docs/cli',
      '/docs/api',
    ]) {
      expect(paths).toContain(path);
    }
    for (const name of ['executor', 'async', 'threads', 'processes', 'classify', 'decide']) {
      expect(paths).toContain(`/docs/api/${name}`);
    }
  });

  it('loads without console errors, page errors or failed requests', async () => {
    const failures: string[] = [];
    await eachPage(site(), paths, async (page, path) => {
      const problems = collectProblems(page);
      const response = await page.goto(new URL(path.slice(1), site().url).href, { waitUntil: 'load' });
      if (response?.status() !== 200) problems.push(`status ${response?.status()}`);
      await settle(page);
      if ((await page.locator('h1').count()) === 0) problems.push('no <h1>');
      // One navbar item per section: exactly one says it is the current page (none on home).
      const current = await page.locator('.navbar [aria-current="page"]').count();
      if (current > 1) problems.push(`${current} navbar links with aria-current="page"`);
      if ((await page.locator('th:empty').count()) > 0) problems.push('an empty <th>');
      if (problems.length > 0) failures.push(`${path}:\n    ${problems.join('\n    ')}`);
    });
    expect(failures, failures.join('\n')).toEqual([]);
  }, 180_000);
});
