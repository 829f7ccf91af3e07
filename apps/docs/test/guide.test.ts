import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../src/lib/bench';
import { measuredFacts } from '../src/lib/claims';
import { collectProblems, openSite, type Site, siteDir } from './browser';

// The results the site was built from (scripts/prepare.mjs copies them there before the build).
const results: BenchResults = JSON.parse(
  readFileSync(join(siteDir, 'src/generated/bench-results.json'), 'utf8'),
);
const facts = measuredFacts(results);

/** The guide's pages that state measured numbers, each with facts it must show. */
const PAGES: Record<string, string[]> = {
  'docs/guide/comparison': ['memory.node.thread', 'startup.python.forkserver', 'cpu.python.threads.speedup'],
  'docs/guide/python-node': ['cpu.python.threads.speedup', 'cpu.python.processes.roundTrips'],
  'docs/guide/event-loop': ['startup.node.threads', 'payload.threads copy.50 MB'],
  'docs/guide/tools': ['memory.node.asyncTask', 'roundTrip.node.processes'],
  'docs/guide/pitfalls': ['payload.threads transfer.50 MB', 'payload.python pickle.1 MB'],
  'docs/guide/patterns': ['roundTrip.node.threads'],
};

/** Pages with one number in passing, linked to the benchmark page that describes the machine. */
const PASSING = ['docs/guide/patterns'];

describe('the guide’s measured numbers', () => {
  let site: Site;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(async () => {
    await site?.close();
  });

  for (const [path, required] of Object.entries(PAGES)) {
    it(`${path} shows every measured value as the results JSON has it`, async () => {
      const page = await site.context.newPage();
      const problems = collectProblems(page);
      await page.goto(new URL(path, site.url).href);
      const shown = await page.locator('article [data-fact]').evaluateAll((spans) =>
        spans.map((span) => ({
          fact: span.getAttribute('data-fact')!,
          text: span.textContent,
          missing: span.getAttribute('data-missing'),
        })),
      );
      for (const fact of required) expect(shown.map((s) => s.fact)).toContain(fact);
      for (const { fact, text, missing } of shown) {
        expect(missing, `${fact} is not measured`).toBeNull();
        expect(text, fact).toBe(facts[fact]);
      }
      // A page that states more than a passing number says which machine, and whether it was busy.
      if (!PASSING.includes(path)) {
        const note = (await page.getByTestId('machine-note').first().textContent()) ?? '';
        expect(note).toContain(`${results.machine.cores} cores`);
        if (results.machine.loadAverage && results.machine.loadAverage[0]! >= results.machine.cores / 2) {
          expect(note).toContain(results.machine.loadAverage[0]!.toFixed(2));
        }
      }
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('the comparison table has Python and Node.js side by side for each model', async () => {
    const page = await site.context.newPage();
    await page.goto(new URL('docs/guide/comparison', site.url).href);
    const rows = page.getByTestId('comparison-table').locator('tbody tr');
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent ?? '')),
    );
    for (const model of ['one thread, cooperative', 'threads', 'processes']) {
      const runtimes = cells.filter(([first]) => first!.startsWith(model)).map(([, runtime]) => runtime);
      expect(runtimes).toEqual(['Python', 'Node.js']);
    }
    await page.close();
  });

  it('the decision page states the engine’s own threshold for many tasks', async () => {
    const { MANY_TASKS_IN_FLIGHT } = await import('@forkroad/decide');
    const page = await site.context.newPage();
    await page.goto(new URL('docs/guide/decision', site.url).href);
    const text = ((await page.locator('article ol').first().textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain(`Fewer than ${MANY_TASKS_IN_FLIGHT.toLocaleString('en-US')} are within reach`);
    await page.close();
  });

  it('the new guide pages have their sections', async () => {
    const page = await site.context.newPage();
    for (const [path, headings] of [
      [
        'docs/guide/races',
        [
          'Interleaving across await',
          'Shared memory in Node: SharedArrayBuffer and Atomics',
          'Locks, semaphores and queues',
        ],
      ],
      ['docs/guide/at-scale', ['Web scraping at scale', 'Background jobs']],
      ['docs/guide/patterns', ['Handle each failure and carry on', 'Several consumers, one queue']],
    ] as const) {
      await page.goto(new URL(path, site.url).href);
      const found = await page.locator('article h2, article h3').allTextContents();
      for (const heading of headings)
        expect(found.map((h) => h.replace(/\u200b/g, '').trim())).toContain(heading);
    }
    await page.close();
  });
});
