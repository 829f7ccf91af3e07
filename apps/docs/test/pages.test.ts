import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDir, collectProblems, openSite, type Site, settle } from './browser';

/** The sitemap's URLs, as paths (the sitemap names the production host, http://localhost). */
function sitemapPaths(): string[] {
  const xml = readFileSync(join(buildDir, 'sitemap.xml'), 'utf8');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
}

const paths = sitemapPaths();

describe('every page in the sitemap', () => {
  let site: Site;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(async () => {
    await site?.close();
  });

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
    // Two tabs at a time: enough to keep two cores busy.
    const queue = [...paths];
    const worker = async () => {
      const page = await site.context.newPage();
      try {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          const problems = collectProblems(page);
          const response = await page.goto(new URL(path.slice(1), site.url).href, { waitUntil: 'load' });
          if (response?.status() !== 200) problems.push(`status ${response?.status()}`);
          await settle(page);
          if ((await page.locator('h1').count()) === 0) problems.push('no <h1>');
          if (problems.length > 0) failures.push(`${path}:\n    ${problems.join('\n    ')}`);
          page.removeAllListeners();
        }
      } finally {
        await page.close();
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 180_000);

  it('draws the flowchart from @forkroad/decide with Mermaid', async () => {
    const page = await site.context.newPage();
    const problems = collectProblems(page);
    await page.goto(new URL('docs/guide/decision', site.url).href);
    const svg = page.locator('[data-testid="flowchart"] svg');
    await svg.first().waitFor({ state: 'visible', timeout: 30_000 });
    const { flowchart } = await import('@forkroad/decide');
    const text = (await svg.first().textContent()) ?? '';
    for (const node of flowchart.nodes) {
      if (node.kind === 'question') expect(text).toContain(node.text.slice(0, 20));
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
