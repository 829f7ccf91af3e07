import { type Answers, decide, flowchart, getNode } from '@forkroad/decide';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readState } from '../src/components/Advisor/state';
import { type Choices, choose, searchFor } from './advisor-walk';
import { openAdvisor, useSite } from './browser';

const currentQuestion = (page: Page) => page.getByTestId('advisor-question').getAttribute('data-question');

/** Clicks through the questions until the result shows. */
async function walk(page: Page, choices: Choices): Promise<void> {
  while ((await page.getByTestId('advisor-result').count()) === 0) {
    const id = (await currentQuestion(page))!;
    await page.getByTestId(`answer-${id}-${choose(id, choices)}`).click();
  }
}

/** What decide() answers for the answers in the page's URL. */
function decisionFor(page: Page) {
  const { runtime, answers } = readState(new URL(page.url()).search);
  return decide({ ...answers, runtime } as Answers);
}

const CPU: Choices = { 'fast-enough': 'no', workload: 'cpu', 'cpu-isolation': 'no' };

describe('the advisor, in the URL and from the keyboard', () => {
  const site = useSite();

  it('puts every answer in the URL, and a shared URL opens on the same result', async () => {
    const choices = { 'fast-enough': 'no', workload: 'io', 'io-tasks': 'many', 'io-many-libraries': 'async' };
    const { page, problems } = await openAdvisor(site());
    await page.getByTestId('runtime-python').click();
    await walk(page, choices);
    const shared = new URL(page.url());
    expect(shared.searchParams.get('runtime')).toBe('python');
    for (const [question, answer] of Object.entries(choices)) {
      expect(shared.searchParams.get(question), question).toBe(answer);
    }
    expect(await page.getByTestId('advisor-model').textContent()).toBe('async');
    await page.close();

    // Another reader opens the link: the same recommendation, with no clicks; a reload keeps it.
    const { page: other, problems: otherProblems } = await openAdvisor(site(), shared.search);
    for (const open of [() => Promise.resolve(), () => other.reload()]) {
      await open();
      await other.getByTestId('advisor-result').waitFor({ timeout: 30_000 });
      expect(await other.getByTestId('advisor-model').textContent()).toBe('async');
      expect(await other.getByTestId('advisor-tool').textContent()).toBe('asyncio');
      expect(await other.getByTestId('advisor-summary').textContent()).toBe(decisionFor(other).summary);
      expect(await other.getByTestId('runtime-python').getAttribute('aria-pressed')).toBe('true');
    }
    expect([...problems, ...otherProblems]).toEqual([]);
    await other.close();
  });

  it("undoes one answer with the browser's Back button, and redoes it with Forward", async () => {
    const { page, problems } = await openAdvisor(site());
    await walk(page, { ...CPU, 'cpu-isolation': 'yes' });
    await page.goBack();
    await expect.poll(() => currentQuestion(page)).toBe('cpu-isolation');
    expect(await page.getByTestId('advisor-result').count()).toBe(0);
    await page.goBack();
    await expect.poll(() => currentQuestion(page)).not.toBe('cpu-isolation');
    // The question shown again has no answer in the URL any more.
    expect(new URL(page.url()).searchParams.has((await currentQuestion(page))!)).toBe(false);
    await page.goForward();
    await expect.poll(() => currentQuestion(page)).toBe('cpu-isolation');
    expect(new URL(page.url()).pathname).toBe('/docs/advisor');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('can be walked with the keyboard alone, focus following each question and the result', async () => {
    const { page, problems } = await openAdvisor(site());
    const status = page.getByTestId('advisor-status');
    // The live region is in the page before anything is answered.
    expect(await status.count()).toBe(1);
    expect(await status.getAttribute('aria-live')).toBe('polite');

    const focused = () =>
      page.evaluate(() => ({
        testId: document.activeElement?.getAttribute('data-testid'),
        tag: document.activeElement?.tagName,
        text: document.activeElement?.textContent ?? '',
      }));
    /** Presses Tab until the element with this test id has focus (from the top of the page). */
    const tabTo = async (testId: string) => {
      for (let i = 0; i < 100; i++) {
        await page.keyboard.press('Tab');
        if ((await focused()).testId === testId) return;
      }
      throw new Error(`Tab never reached ${testId}`);
    };
    const headingText = (id: string) => {
      const node = getNode(flowchart, id);
      return node?.kind === 'question' ? node.text : id;
    };

    while ((await page.getByTestId('advisor-result').count()) === 0) {
      const id = (await currentQuestion(page))!;
      await tabTo(`answer-${id}-${choose(id, CPU)}`);
      await page.keyboard.press('Enter');
      // Focus moves to the next question's heading, or to the result's.
      await expect.poll(async () => (await focused()).tag).toBe('H2');
      const next = await page.getByTestId('advisor-question').count();
      const expected = next ? headingText((await currentQuestion(page))!) : 'Recommendation: threads';
      expect((await focused()).text).toBe(expected);
    }
    await expect.poll(() => status.textContent()).toContain('Recommendation: threads');

    await tabTo('advisor-back');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).text).toBe(headingText('cpu-isolation'));
    await tabTo('advisor-restart');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).text).toBe(headingText(flowchart.start));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps focus on the runtime button when the runtime changes, and announces the new result', async () => {
    const { page, problems } = await openAdvisor(site(), searchFor('node', CPU, 'cpu-isolation'));
    const status = page.getByTestId('advisor-status');
    // Opening a shared URL moves nothing and announces nothing.
    expect(await currentQuestion(page)).toBe('cpu-isolation');
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    expect(await status.textContent()).toBe('');
    await walk(page, CPU);
    await page.getByTestId('runtime-python').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('advisor-model').textContent()).toBe('processes');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'runtime-python',
    );
    await expect.poll(() => status.textContent()).toContain('Recommendation: processes');
    // The runtime is in the URL, in place of the entry it changed: Back undoes the last answer.
    expect(new URL(page.url()).searchParams.get('runtime')).toBe('python');
    await page.goBack();
    await expect.poll(() => currentQuestion(page)).toBe('cpu-isolation');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('takes a typed number of tasks, as forkroad advise --tasks does', async () => {
    const { page, problems } = await openAdvisor(site());
    while ((await currentQuestion(page)) !== 'io-tasks') {
      const id = (await currentQuestion(page))!;
      await page.getByTestId(`answer-${id}-${choose(id, { 'fast-enough': 'no', workload: 'io' })}`).click();
    }
    const field = page.getByLabel('Number of tasks in flight');
    await field.fill('a lot');
    await field.press('Enter');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('5000');
    await field.press('Enter');
    await expect.poll(() => currentQuestion(page)).toBe('io-many-libraries');
    expect(new URL(page.url()).searchParams.get('io-tasks')).toBe('5000');
    await walk(page, { 'io-many-libraries': 'blocking' });
    const expected = decisionFor(page);
    expect(readState(new URL(page.url()).search).answers.tasksInFlight).toBe(5000);
    expect(await page.getByTestId('advisor-summary').textContent()).toBe(expected.summary);
    const steps = await page.locator('[data-testid="advisor-path"] > li').allTextContents();
    expect(steps.join('\n')).toContain(expected.path.find((step) => step.question === 'io-tasks')!.label);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends "I don\'t know" to how to measure, with the command for the runtime chosen', async () => {
    const { page, problems } = await openAdvisor(site());
    const measure = page.getByTestId('advisor-measure');
    expect(await measure.textContent()).toContain('node your-script.js');
    await page.getByTestId('runtime-python').click();
    expect(await measure.textContent()).toContain('python3 your_script.py');
    expect(await measure.textContent()).not.toContain('node your-script.js');
    await walk(page, { 'fast-enough': 'no', workload: 'unknown' });
    const result = page.getByTestId('advisor-result');
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
    const { page } = await openAdvisor(site());
    await walk(page, CPU);
    const levels = await page
      .locator('article :is(h1, h2, h3, h4, h5, h6)')
      .evaluateAll((headings) => headings.map((h) => Number(h.tagName.slice(1))));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    await page.close();
  });
});
