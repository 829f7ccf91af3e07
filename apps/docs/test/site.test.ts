import { describe, expect, it } from 'vitest';
import { collectProblems, settle, useSite } from './browser';

describe('the site around the pages', () => {
  const site = useSite();

  it("shows the home page's code sample highlighted, whole at 1280 px, with a copy button", async () => {
    const page = await site().context.newPage();
    await page.goto(site().url);
    await settle(page);
    const block = page.locator('main .theme-code-block');
    expect(await block.count()).toBe(1);
    expect(await block.locator('.token').count()).toBeGreaterThan(5);
    expect(await block.getByRole('button', { name: /copy/i }).count()).toBe(1);
    const pre = block.locator('pre');
    const overflow = await pre.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('answers an unknown address with a 404 page that leads back to the guide and the advisor', async () => {
    const page = await site().context.newPage();
    const response = await page.goto(new URL('docs/no-such-page', site().url).href);
    expect(response?.status()).toBe(404);
    await settle(page);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    const links = page.getByTestId('not-found-links');
    expect(await links.getByRole('link', { name: 'Start the guide' }).getAttribute('href')).toBe(
      '/docs/intro',
    );
    expect(await links.getByRole('link', { name: 'Ask the advisor' }).getAttribute('href')).toBe(
      '/docs/advisor',
    );
    await page.close();
  });

  it('closes the phone menu with Escape', async () => {
    const page = await site().context.newPage();
    const problems = collectProblems(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(new URL('docs/intro', site().url).href);
    await settle(page);
    await page.getByRole('button', { name: /toggle navigation bar/i }).click();
    const sidebar = page.locator('.navbar-sidebar--show');
    await sidebar.waitFor({ state: 'attached' });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.navbar-sidebar--show').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('marks one navbar section as current, links each doc to its source, and names the version', async () => {
    const page = await site().context.newPage();
    await page.goto(new URL('docs/guide/decision', site().url).href);
    await settle(page);
    const current = page.locator('.navbar [aria-current="page"]');
    expect(await current.count()).toBe(1);
    expect(await current.textContent()).toBe('Guide');
    const edit = page.locator('a.theme-edit-this-page');
    expect(await edit.getAttribute('href')).toMatch(/\/edit\/main\/apps\/docs\/docs\/guide\/decision\.mdx$/);
    expect(
      await page
        .locator('.navbar')
        .getByRole('link', { name: /^v\d+\.\d+\.\d+: release notes/ })
        .count(),
    ).toBe(1);
    // The logo is decoration beside the title: its alt text does not say "forkroad" again.
    expect(await page.locator('.navbar__logo img').first().getAttribute('alt')).toBe('');
    await page.close();
  });
});
