import { type Answers, decide } from '@forkroad/decide';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, openSite, type Site } from './browser';

interface Path {
  name: string;
  runtime: 'node' | 'python';
  /** The buttons to click, as `questionId-answerValue`. */
  clicks: string[];
  /** The answers the same clicks give to decide(), to compare with the page. */
  answers: Answers;
  model: string;
  tool: string;
}

const PATHS: Path[] = [
  {
    name: 'Node.js, CPU-bound, no isolation → worker threads',
    runtime: 'node',
    clicks: ['fast-enough-no', 'workload-cpu', 'cpu-isolation-no'],
    answers: { runtime: 'node', fastEnough: false, workload: 'cpu', isolation: false },
    model: 'threads',
    tool: '@forkroad/threads',
  },
  {
    name: 'Python, I/O-bound, thousands in flight, async libraries → asyncio',
    runtime: 'python',
    clicks: ['fast-enough-no', 'workload-io', 'io-tasks-many', 'io-many-libraries-async'],
    answers: {
      runtime: 'python',
      fastEnough: false,
      workload: 'io',
      tasksInFlight: 'many',
      blockingLibraries: false,
    },
    model: 'async',
    tool: 'asyncio',
  },
  {
    name: 'already fast enough → none',
    runtime: 'node',
    clicks: ['fast-enough-yes'],
    answers: { runtime: 'node', fastEnough: true } as Answers,
    model: 'none',
    tool: 'no concurrency',
  },
  {
    name: 'Python, CPU-bound, no isolation → processes',
    runtime: 'python',
    clicks: ['fast-enough-no', 'workload-cpu', 'cpu-isolation-no'],
    answers: { runtime: 'python', fastEnough: false, workload: 'cpu', isolation: false },
    model: 'processes',
    tool: 'concurrent.futures.ProcessPoolExecutor',
  },
  {
    name: 'Node.js, I/O-bound, a few in flight, blocking libraries → threads',
    runtime: 'node',
    clicks: ['fast-enough-no', 'workload-io', 'io-tasks-few', 'io-few-libraries-blocking'],
    answers: {
      runtime: 'node',
      fastEnough: false,
      workload: 'io',
      tasksInFlight: 'few',
      blockingLibraries: true,
    },
    model: 'threads',
    tool: '@forkroad/threads',
  },
];

async function openAdvisor(site: Site): Promise<{ page: Page; problems: string[] }> {
  const page = await site.context.newPage();
  const problems = collectProblems(page);
  await page.goto(new URL('docs/advisor', site.url).href);
  // Clicks before hydration would be lost: the component marks itself ready once React runs it.
  await page.locator('[data-testid="advisor"][data-ready="true"]').waitFor({ timeout: 30_000 });
  return { page, problems };
}

describe('the advisor', () => {
  let site: Site;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(async () => {
    await site?.close();
  });

  for (const path of PATHS) {
    it(path.name, async () => {
      const { page, problems } = await openAdvisor(site);
      await page.getByTestId(`runtime-${path.runtime}`).click();
      for (const click of path.clicks) {
        await page.getByTestId(`answer-${click}`).click();
      }
      const result = page.getByTestId('advisor-result');
      await result.waitFor();
      expect(await page.getByTestId('advisor-model').textContent()).toBe(path.model);
      expect(await page.getByTestId('advisor-tool').textContent()).toBe(path.tool);

      // The page shows what decide() answers for the same answers.
      const expected = decide(path.answers);
      expect(expected.model).toBe(path.model);
      expect(expected.tool.name).toBe(path.tool);
      expect(await page.getByTestId('advisor-summary').textContent()).toBe(expected.summary);
      const steps = page.locator('[data-testid="advisor-path"] > li');
      expect(await steps.evaluateAll((items) => items.map((li) => li.getAttribute('data-question')))).toEqual(
        expected.path.map((step) => step.question),
      );
      expect(await steps.evaluateAll((items) => items.map((li) => li.getAttribute('data-answer')))).toEqual(
        expected.path.map((step) => step.answer),
      );
      // The snippet is on the page (first line is enough: CodeBlock splits lines into spans).
      const firstLine = expected.tool.snippet.split('\n').find((line) => line.trim() !== '')!;
      expect(await result.textContent()).toContain(firstLine.trim());
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('switches runtime on the same answers, and starts over', async () => {
    const { page, problems } = await openAdvisor(site);
    for (const click of ['fast-enough-no', 'workload-cpu', 'cpu-isolation-no']) {
      await page.getByTestId(`answer-${click}`).click();
    }
    expect(await page.getByTestId('advisor-model').textContent()).toBe('threads');
    await page.getByTestId('runtime-python').click();
    expect(await page.getByTestId('advisor-model').textContent()).toBe('processes');
    await page.getByTestId('advisor-back').click();
    expect(await page.getByTestId('advisor-question').getAttribute('data-question')).toBe('cpu-isolation');
    await page.getByTestId('advisor-restart').click();
    expect(await page.getByTestId('advisor-question').getAttribute('data-question')).toBe('fast-enough');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('puts every answer in the URL, and a shared URL opens on the same result', async () => {
    const { page, problems } = await openAdvisor(site);
    await page.getByTestId('runtime-python').click();
    for (const click of ['fast-enough-no', 'workload-io', 'io-tasks-many', 'io-many-libraries-async']) {
      await page.getByTestId(`answer-${click}`).click();
    }
    await page.getByTestId('advisor-result').waitFor();
    const shared = new URL(page.url());
    expect(Object.fromEntries(shared.searchParams)).toEqual({
      runtime: 'python',
      'fast-enough': 'no',
      workload: 'io',
      'io-tasks': 'many',
      'io-many-libraries': 'async',
    });
    await page.close();

    // Another reader opens the link: the same recommendation, with no clicks.
    const other = await site.context.newPage();
    const otherProblems = collectProblems(other);
    await other.goto(shared.href);
    await other.getByTestId('advisor-result').waitFor({ timeout: 30_000 });
    expect(await other.getByTestId('advisor-model').textContent()).toBe('async');
    expect(await other.getByTestId('advisor-tool').textContent()).toBe('asyncio');
    expect(await other.getByTestId('runtime-python').getAttribute('aria-pressed')).toBe('true');
    // A reload keeps it too.
    await other.reload();
    await other.getByTestId('advisor-result').waitFor({ timeout: 30_000 });
    expect(await other.getByTestId('advisor-model').textContent()).toBe('async');
    expect([...problems, ...otherProblems]).toEqual([]);
    await other.close();
  });

  it("undoes one answer with the browser's Back button, and redoes it with Forward", async () => {
    const { page, problems } = await openAdvisor(site);
    for (const click of ['fast-enough-no', 'workload-cpu', 'cpu-isolation-yes']) {
      await page.getByTestId(`answer-${click}`).click();
    }
    await page.getByTestId('advisor-result').waitFor();
    await page.goBack();
    await expect
      .poll(() => page.getByTestId('advisor-question').getAttribute('data-question'))
      .toBe('cpu-isolation');
    expect(await page.getByTestId('advisor-result').count()).toBe(0);
    await page.goBack();
    await expect
      .poll(() => page.getByTestId('advisor-question').getAttribute('data-question'))
      .toBe('workload');
    await page.goForward();
    await expect
      .poll(() => page.getByTestId('advisor-question').getAttribute('data-question'))
      .toBe('cpu-isolation');
    expect(new URL(page.url()).pathname).toBe('/docs/advisor');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('can be walked with the keyboard alone, focus following each question and the result', async () => {
    const { page, problems } = await openAdvisor(site);
    const status = page.getByTestId('advisor-status');
    // The live region is in the page before anything is answered.
    expect(await status.count()).toBe(1);
    expect(await status.getAttribute('aria-live')).toBe('polite');

    /** Tabs forward until the focused element has this test id (at most 100 presses). */
    const tabTo = async (testId: string) => {
      for (let i = 0; i < 100; i++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === testId)
          return;
      }
      throw new Error(`Tab never reached ${testId}`);
    };
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');

    await tabTo('answer-fast-enough-no');
    await page.keyboard.press('Enter');
    await expect.poll(focusedText).toBe('Is the work CPU-bound, I/O-bound, or both?');
    await tabTo('answer-workload-cpu');
    await page.keyboard.press('Enter');
    await expect.poll(focusedText).toContain('Does the CPU work need isolation');
    await tabTo('answer-cpu-isolation-no');
    await page.keyboard.press('Enter');
    await expect.poll(focusedText).toBe('Recommendation: threads');
    await expect.poll(() => status.textContent()).toContain('Recommendation: threads');

    await tabTo('advisor-back');
    await page.keyboard.press('Enter');
    await expect.poll(focusedText).toContain('Does the CPU work need isolation');
    await tabTo('advisor-restart');
    await page.keyboard.press('Enter');
    await expect.poll(focusedText).toBe('Is it already fast enough?');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('takes a typed number of tasks, as forkroad advise --tasks does', async () => {
    const { page, problems } = await openAdvisor(site);
    for (const click of ['fast-enough-no', 'workload-io']) {
      await page.getByTestId(`answer-${click}`).click();
    }
    const field = page.getByLabel('Number of tasks in flight');
    await field.fill('a lot');
    await field.press('Enter');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('5000');
    await field.press('Enter');
    await expect
      .poll(() => page.getByTestId('advisor-question').getAttribute('data-question'))
      .toBe('io-many-libraries');
    expect(new URL(page.url()).searchParams.get('io-tasks')).toBe('5000');
    await page.getByTestId('answer-io-many-libraries-blocking').click();
    const expected = decide({
      runtime: 'node',
      fastEnough: false,
      workload: 'io',
      tasksInFlight: 5000,
      blockingLibraries: true,
    });
    expect(await page.getByTestId('advisor-summary').textContent()).toBe(expected.summary);
    const labels = await page.locator('[data-testid="advisor-path"] > li').allTextContents();
    expect(labels.join('\n')).toContain(expected.path.find((step) => step.question === 'io-tasks')!.label);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends "I don\'t know" to how to measure, with the command for the runtime chosen', async () => {
    const { page, problems } = await openAdvisor(site);
    const measure = page.getByTestId('advisor-measure');
    expect(await measure.textContent()).toContain('node your-script.js');
    await page.getByTestId('runtime-python').click();
    expect(await measure.textContent()).toContain('python3 your_script.py');
    expect(await measure.textContent()).not.toContain('node your-script.js');
    for (const click of ['fast-enough-no', 'workload-unknown']) {
      await page.getByTestId(`answer-${click}`).click();
    }
    const result = page.getByTestId('advisor-result');
    await result.waitFor();
    const link = result.getByRole('link', { name: 'forkroad classify' });
    expect(await link.getAttribute('href')).toBe('/docs/cli#forkroad-classify');
    expect(await result.getByTestId('advisor-measure').textContent()).toContain(
      'forkroad classify -- python3',
    );
    await link.click();
    await page.waitForURL(/\/docs\/cli#forkroad-classify$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps the heading levels in order: h1, then h2 for the question and the result', async () => {
    const { page } = await openAdvisor(site);
    for (const click of ['fast-enough-no', 'workload-cpu', 'cpu-isolation-no']) {
      await page.getByTestId(`answer-${click}`).click();
    }
    await page.getByTestId('advisor-result').waitFor();
    const levels = await page
      .locator('article h1, article h2, article h3, article h4, article h5, article h6')
      .evaluateAll((headings) => headings.map((h) => Number(h.tagName.slice(1))));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    await page.close();
  });
});
