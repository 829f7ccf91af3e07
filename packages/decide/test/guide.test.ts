import { describe, expect, it } from 'vitest';
import { type Answers, type Decision, decide } from '../src/index.js';

/** The guide's decision list, with the answers each case gives to the flowchart. */
const cases: {
  name: string;
  answers: Omit<Answers, 'runtime'>;
  python: { model: Decision['model']; tool: string };
  node: { model: Decision['model']; tool: string };
}[] = [
  {
    // Python: requests (blocking); Node: fetch (async).
    name: '10–100 HTTP requests',
    answers: { fastEnough: false, workload: 'io', tasksInFlight: 50 },
    python: { model: 'threads', tool: 'concurrent.futures.ThreadPoolExecutor' },
    node: { model: 'async', tool: '@forkroad/async' },
  },
  {
    name: '1,000+ concurrent connections',
    answers: { fastEnough: false, workload: 'io', tasksInFlight: 5000, blockingLibraries: false },
    python: { model: 'async', tool: 'asyncio' },
    node: { model: 'async', tool: '@forkroad/async' },
  },
  {
    name: 'image processing',
    answers: { fastEnough: false, workload: 'cpu', isolation: false },
    python: { model: 'processes', tool: 'concurrent.futures.ProcessPoolExecutor' },
    node: { model: 'threads', tool: '@forkroad/threads' },
  },
  {
    name: 'number crunching',
    answers: { fastEnough: false, workload: 'cpu', isolation: false },
    python: { model: 'processes', tool: 'concurrent.futures.ProcessPoolExecutor' },
    node: { model: 'threads', tool: '@forkroad/threads' },
  },
  {
    // Native training code that may crash or must stay under a memory limit.
    name: 'ML training (native code, needs isolation)',
    answers: { fastEnough: false, workload: 'cpu', isolation: true },
    python: { model: 'processes', tool: 'concurrent.futures.ProcessPoolExecutor' },
    node: { model: 'processes', tool: '@forkroad/processes' },
  },
  {
    // Python: aiohttp/httpx; Node: fetch.
    name: 'web scraping at scale',
    answers: { fastEnough: false, workload: 'io', tasksInFlight: 2000, blockingLibraries: false },
    python: { model: 'async', tool: 'asyncio' },
    node: { model: 'async', tool: '@forkroad/async' },
  },
  {
    name: 'a pipeline with I/O and CPU stages',
    answers: { fastEnough: false, workload: 'mixed' },
    python: { model: 'hybrid', tool: 'asyncio + ProcessPoolExecutor' },
    node: { model: 'hybrid', tool: '@forkroad/async + @forkroad/threads' },
  },
  {
    name: 'already fast enough',
    answers: { fastEnough: true, workload: 'io', tasksInFlight: 50 },
    python: { model: 'none', tool: 'no concurrency' },
    node: { model: 'none', tool: 'no concurrency' },
  },
];

describe.each(['python', 'node'] as const)("the guide's decision list on %s", (runtime) => {
  it.each(cases)('$name', ({ answers, ...expected }) => {
    const decision = decide({ runtime, ...answers });
    expect(decision.model).toBe(expected[runtime].model);
    expect(decision.tool.name).toBe(expected[runtime].tool);
    expect(decision.runtime).toBe(runtime);
    expect(decision.path[0]?.question).toBe('fast-enough');
    expect(decision.rationale.length).toBeGreaterThan(0);
    expect(decision.tool.snippet.length).toBeGreaterThan(0);
  });
});

describe('the Python answers', () => {
  it('10–100 HTTP requests with requests: threads, which overlap the waits despite the GIL', () => {
    const d = decide({
      runtime: 'python',
      workload: 'io',
      tasksInFlight: 50,
      blockingLibraries: true,
      fastEnough: false,
    });
    expect(d.outcome).toBe('io-threads');
    expect(d.tool.snippet).toContain('ThreadPoolExecutor(max_workers=50)');
    expect(d.tool.snippet).toContain('from concurrent.futures import');
    expect(d.caveats.join(' ')).toMatch(/GIL/);
  });

  it('an unanswered libraries question at 10–100 requests assumes blocking libraries, and says so', () => {
    const d = decide({ runtime: 'python', workload: 'io', tasksInFlight: 50, fastEnough: false });
    expect(d.model).toBe('threads');
    const step = d.path.find((s) => s.question === 'io-few-libraries');
    expect(step).toMatchObject({ answer: 'unanswered', assumed: 'blocking' });
    expect(d.caveats.join(' ')).toMatch(/did not say whether your libraries block.*requests/);
  });

  it('1,000+ connections: asyncio, with the connection limit in the snippet', () => {
    const d = decide({
      runtime: 'python',
      workload: 'io',
      tasksInFlight: 1000,
      blockingLibraries: false,
      fastEnough: false,
    });
    expect(d.outcome).toBe('io-async');
    expect(d.tool.snippet).toContain('import asyncio');
    expect(d.tool.snippet).toContain('limit=1000');
    expect(d.caveats.join(' ')).toMatch(/blocking call .* stalls every task/);
  });

  it('thousands of tasks with blocking libraries: a bounded thread pool, and a caveat that threads do not scale', () => {
    const d = decide({
      runtime: 'python',
      workload: 'io',
      tasksInFlight: 5000,
      blockingLibraries: true,
      fastEnough: false,
    });
    expect(d.outcome).toBe('io-threads-bounded');
    expect(d.model).toBe('threads');
    expect(d.tool.snippet).toContain('ThreadPoolExecutor(max_workers=100)');
    expect(d.caveats.join(' ')).toMatch(/don't scale to thousands.*aiohttp/);
  });

  it('CPU work: processes, never threads (the GIL)', () => {
    for (const isolation of [true, false, undefined]) {
      const d = decide({ runtime: 'python', workload: 'cpu', fastEnough: false, isolation });
      expect(d.model).toBe('processes');
      expect(d.tool.snippet).toContain('ProcessPoolExecutor');
      expect(d.tool.snippet).toContain('if __name__ == "__main__":');
      expect(d.rationale.join(' ')).toMatch(/GIL/);
    }
  });

  it('a pipeline: asyncio with run_in_executor on a process pool', () => {
    const d = decide({ runtime: 'python', workload: 'mixed', fastEnough: false });
    expect(d.tool.snippet).toContain('run_in_executor');
    expect(d.tool.snippet).toContain('ProcessPoolExecutor');
  });
});

describe('the Node.js answers', () => {
  it('10–100 HTTP requests with fetch: @forkroad/async, using the real executor API', () => {
    const d = decide({
      runtime: 'node',
      workload: 'io',
      tasksInFlight: 50,
      blockingLibraries: false,
      fastEnough: false,
    });
    expect(d.outcome).toBe('io-async');
    expect(d.tool.package).toBe('@forkroad/async');
    expect(d.tool.snippet).toContain(
      "createExecutor(new URL('./tasks.js', import.meta.url), { concurrency: 50 })",
    );
    expect(d.tool.snippet).toContain('pool.map(');
    expect(d.tool.snippet).toContain('await pool.shutdown()');
  });

  it('an unanswered libraries question assumes async APIs, the Node.js default, and says so', () => {
    const d = decide({ runtime: 'node', workload: 'io', tasksInFlight: 50, fastEnough: false });
    expect(d.model).toBe('async');
    expect(d.path.at(-1)).toMatchObject({ answer: 'unanswered', assumed: 'async' });
    expect(d.caveats.join(' ')).toMatch(/fs\.\*Sync/);
  });

  it('blocking libraries: worker threads, so the event loop stays free', () => {
    const d = decide({
      runtime: 'node',
      workload: 'io',
      tasksInFlight: 20,
      blockingLibraries: true,
      fastEnough: false,
    });
    expect(d.outcome).toBe('io-threads');
    expect(d.tool.package).toBe('@forkroad/threads');
    expect(d.rationale.join(' ')).toMatch(/blocks the event loop/);
    expect(d.tool.snippet).toContain("pool.submit('query', [");
  });

  it('thousands of blocking calls: a bounded pool, and advice to use async APIs', () => {
    const d = decide({
      runtime: 'node',
      workload: 'io',
      tasksInFlight: 10_000,
      blockingLibraries: true,
      fastEnough: false,
    });
    expect(d.outcome).toBe('io-threads-bounded');
    expect(d.caveats.join(' ')).toMatch(/@forkroad\/async/);
  });

  it('CPU work: worker threads by default (no GIL), processes when isolation is needed', () => {
    const threads = decide({ runtime: 'node', workload: 'cpu', fastEnough: false, isolation: false });
    expect(threads.tool.snippet).toContain("from '@forkroad/threads'");
    expect(threads.tool.snippet).toContain('concurrency: availableParallelism()');
    expect(threads.rationale.join(' ')).toMatch(/no GIL/);
    const processes = decide({ runtime: 'node', workload: 'cpu', fastEnough: false, isolation: true });
    expect(processes.tool.snippet).toContain("from '@forkroad/processes'");
    expect(processes.caveats.join(' ')).toMatch(/start-up/);
  });

  it('a pipeline: the async executor feeding the threads executor', () => {
    const d = decide({ runtime: 'node', workload: 'mixed', fastEnough: false, tasksInFlight: 64 });
    expect(d.tool.snippet).toContain("cpu.map('resize', io.map('download', urls))");
    expect(d.tool.snippet).toContain('concurrency: 64');
  });
});

describe('unanswered questions', () => {
  it('an unknown workload ends at "measure first", with forkroad classify as the tool', () => {
    const d = decide({ runtime: 'node', workload: 'unknown', fastEnough: false });
    expect(d).toMatchObject({ outcome: 'measure', model: 'none', tool: { name: 'forkroad classify' } });
    expect(d.tool.snippet).toContain('forkroad classify -- node app.js');
  });

  it('a missing workload is reported as unanswered and also ends at "measure first"', () => {
    const d = decide({ runtime: 'python', fastEnough: false } as Answers);
    expect(d.outcome).toBe('measure');
    expect(d.path.at(-1)).toMatchObject({ question: 'workload', answer: 'unanswered', assumed: 'unknown' });
  });

  it('every unanswered question on the path is marked as such, with its assumption in the caveats', () => {
    const d = decide({ runtime: 'node', workload: 'cpu' });
    expect(d.path.map((s) => [s.question, s.answer, s.assumed])).toEqual([
      ['fast-enough', 'unanswered', 'no'],
      ['beyond-one-machine', 'unanswered', 'no'],
      ['workload', 'cpu', undefined],
      ['cpu-isolation', 'unanswered', 'no'],
    ]);
    expect(d.caveats.filter((c) => c.startsWith('You did not say'))).toHaveLength(3);
    expect(d.path[0]?.label).toBe('unanswered (assumed: No, it needs to be faster)');
  });

  it('answered questions are never reported as unanswered', () => {
    const d = decide({
      runtime: 'python',
      workload: 'io',
      tasksInFlight: 'many',
      blockingLibraries: true,
      fastEnough: false,
      beyondOneMachine: false,
    });
    expect(d.path.every((s) => s.answer !== 'unanswered' && s.assumed === undefined)).toBe(true);
    expect(d.caveats.some((c) => c.startsWith('You did not say'))).toBe(false);
  });
});
