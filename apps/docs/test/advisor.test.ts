import { type Answers, decide } from '@forkroad/decide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdvisor, openSite, type Site } from './browser';

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
});
