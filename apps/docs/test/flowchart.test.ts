import { flowchart } from '@forkroad/decide';
import { describe, expect, it } from 'vitest';
import { useSite } from './browser';

const DECISION = 'docs/guide/decision';

// With JavaScript off, the page is exactly the HTML the build wrote: the chart must be in it.
describe('the flowchart, before any script runs', () => {
  const site = useSite({ javaScriptEnabled: false });

  it('is an SVG in the HTML, drawn from every node and edge of @forkroad/decide', async () => {
    const html = await (await fetch(new URL(DECISION, site().url))).text();
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).not.toMatch(/mermaid/i);

    const page = await site().context.newPage();
    await page.goto(new URL(DECISION, site().url).href);
    const svg = page.locator('[data-testid="flowchart"] svg');
    await svg.waitFor({ state: 'visible' });
    for (const node of flowchart.nodes) {
      expect(await svg.locator(`[data-node="${node.id}"]`).count(), node.id).toBe(1);
    }
    expect(await svg.locator('[data-edge]').count()).toBe(flowchart.edges.length);
    const text = (await svg.textContent())?.replace(/\s+/g, ' ') ?? '';
    for (const node of flowchart.nodes) {
      // Labels are wrapped into lines: each word of the label is in the chart.
      const words = (node.kind === 'question' ? node.text : node.label).split(/\s+/);
      for (const word of words) expect(text).toContain(word);
    }
    await page.close();
  });

  it('has a title and a description that say the chart in words', async () => {
    const page = await site().context.newPage();
    await page.goto(new URL(DECISION, site().url).href);
    const svg = page.locator('[data-testid="flowchart"] svg');
    const title = await page.locator(`[id="${await svg.getAttribute('aria-labelledby')}"]`).textContent();
    const description = await page
      .locator(`[id="${await svg.getAttribute('aria-describedby')}"]`)
      .textContent();
    expect(title).toContain('decision flowchart');
    for (const node of flowchart.nodes) {
      if (node.kind === 'question') expect(description).toContain(node.text);
      else expect(description).toContain(node.label);
    }
    await page.close();
  });

  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`is drawn at full size in a focusable, labelled scroll area at ${viewport.width} px`, async () => {
      const page = await site().context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(new URL(DECISION, site().url).href);
      const area = page.getByTestId('flowchart');
      expect(await area.getAttribute('tabindex')).toBe('0');
      expect(await area.evaluate((element) => element.tagName)).toBe('SECTION'); // role region, with its label
      expect(await area.getAttribute('aria-label')).toBeTruthy();
      const svg = area.locator('svg');
      const drawn = await svg.boundingBox();
      // Not shrunk to fit: the labels keep their 14 px.
      expect(drawn?.width).toBe(Number(await svg.getAttribute('width')));
      const fontSize = await svg
        .locator('text')
        .first()
        .evaluate((t) => Number.parseFloat(getComputedStyle(t).fontSize));
      expect(fontSize).toBeGreaterThanOrEqual(14);
      // The first question is in view where the area opens (scrolled to its left edge).
      const opening = await area.boundingBox();
      const start = await svg.locator(`[data-node="${flowchart.start}"]`).boundingBox();
      expect(start!.x).toBeGreaterThanOrEqual(opening!.x);
      expect(start!.x + start!.width).toBeLessThanOrEqual(opening!.x + opening!.width);
      // The page itself does not scroll sideways: only the chart's area does.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      await page.close();
    });
  }
});
