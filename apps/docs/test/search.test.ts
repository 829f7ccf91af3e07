import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDir, collectProblems, settle, useSite } from './browser';

describe('search', () => {
  const site = useSite();

  it('has its index in the build: no outside service', () => {
    const files = existsSync(buildDir) ? readdirSync(buildDir) : [];
    expect(files.some((name) => /^search-index.*\.json$/.test(name))).toBe(true);
  });

  it('finds a page from the search box, opened with Ctrl+K, and goes there', async () => {
    const page = await site().context.newPage();
    const problems = collectProblems(page);
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(site().url)) outside.push(request.url());
    });
    await page.goto(site().url);
    await settle(page);
    await page.keyboard.press('Control+k');
    const box = page.locator('.navbar').getByLabel('Search', { exact: true });
    await expect.poll(() => box.evaluate((input) => input === document.activeElement)).toBe(true);
    await box.pressSequentially('ProcessPoolExecutor', { delay: 20 });
    const suggestion = page.getByRole('option').first();
    await suggestion.waitFor({ timeout: 30_000 });
    expect(await suggestion.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.startsWith('/docs/'), { timeout: 30_000 });
    await settle(page);
    expect(await page.locator('article').textContent()).toContain('ProcessPoolExecutor');
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
