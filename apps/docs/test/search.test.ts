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

  it('leaves focus where Tab took it when the index loads after the reader tabbed past the box', async () => {
    const page = await site().context.newPage();
    const problems = collectProblems(page);
    // Hold the index back, as a slow connection would, until the reader has moved on.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = false;
    await page.route(/search-index.*\.json$/, async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    await page.goto(site().url);
    await settle(page);
    const box = page.locator('.navbar').getByLabel('Search', { exact: true });
    const boxHasFocus = () => box.evaluate((input) => input === document.activeElement);
    for (let i = 0; i < 50 && !(await boxHasFocus()); i++) await page.keyboard.press('Tab');
    expect(await boxHasFocus()).toBe(true);
    await expect.poll(() => asked, { timeout: 30_000 }).toBe(true);
    await page.keyboard.press('Tab');
    const movedTo = await page.evaluate(() => document.activeElement?.outerHTML);
    expect(await boxHasFocus()).toBe(false);
    release();
    // autocomplete.js wraps the box once the index is in; only then would focus be pulled back.
    await box.locator('xpath=..').and(page.locator('span[class*="searchBar"]')).waitFor({ timeout: 30_000 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
    expect(await page.evaluate(() => document.activeElement?.outerHTML)).toBe(movedTo);
    await box.focus();
    await box.pressSequentially('ProcessPoolExecutor', { delay: 20 });
    await page.getByRole('option').first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.activeElement?.outerHTML)).not.toBe(movedTo);
    expect(problems).toEqual([]);
    await page.close();
  });
});
