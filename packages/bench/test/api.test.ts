import { describe, expect, it } from 'vitest';
import {
  formatResults,
  median,
  planSelection,
  runBench,
  SELECTIONS,
  startDelayServer,
} from '../dist/index.js';
import { rotate } from '../dist/measure.js';
import { threadCounts } from '../dist/suites/cpu.js';

describe('selection', () => {
  it('runs every suite, with Python, by default', () => {
    expect(planSelection(SELECTIONS)).toEqual([
      { suite: 'io', node: true, python: true },
      { suite: 'cpu', node: true, python: true },
      { suite: 'overhead', node: true, python: false },
      { suite: 'pools', node: true, python: false },
      { suite: 'memory', node: true, python: true },
      { suite: 'startup', node: true, python: true },
      { suite: 'payload', node: true, python: true },
    ]);
  });

  it('python alone means Python rows of every suite but overhead', () => {
    expect(planSelection(['python'])).toEqual([
      { suite: 'io', node: false, python: true },
      { suite: 'cpu', node: false, python: true },
      { suite: 'memory', node: false, python: true },
      { suite: 'startup', node: false, python: true },
      { suite: 'payload', node: false, python: true },
    ]);
  });

  it('a suite alone has Node rows only; with python, both', () => {
    expect(planSelection(['cpu'])).toEqual([{ suite: 'cpu', node: true, python: false }]);
    expect(planSelection(['python', 'io'])).toEqual([{ suite: 'io', node: true, python: true }]);
  });

  it('rejects an unknown suite or mode', async () => {
    expect(() => planSelection(['gpu' as never])).toThrow(
      /unknown suite "gpu"; expected one of io, cpu, overhead, pools, memory, startup, payload, python/,
    );
    await expect(runBench({ mode: 'slow' as never })).rejects.toThrow(/unknown mode "slow"/);
    await expect(runBench({ mode: 'smoke', backends: ['gpu' as never] })).rejects.toThrow(
      /unknown backend "gpu"; expected one of async, threads, processes/,
    );
  });
});

describe('helpers', () => {
  it('median, rotation, thread counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(rotate([1, 2, 3], 1)).toEqual([2, 3, 1]);
    expect(rotate([1, 2, 3], 4)).toEqual([2, 3, 1]);
    expect(threadCounts(1)).toEqual([1]);
    expect(threadCounts(2)).toEqual([1, 2]);
    expect(threadCounts(6)).toEqual([1, 2, 4, 6]);
    expect(threadCounts(8)).toEqual([1, 2, 4, 8]);
  });

  it('the delay server answers after the delay, from another process', async () => {
    const server = await startDelayServer();
    try {
      const started = performance.now();
      const response = await fetch(server.url(100));
      expect(await response.text()).toBe('ok');
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
      expect((await fetch(`${server.origin}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('an aborted run rejects with the reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(runBench({ mode: 'smoke', suites: ['cpu'], signal: controller.signal })).rejects.toThrow(
      'stop',
    );
  });

  it('formats tables with the machine and every row', () => {
    const text = formatResults({
      schemaVersion: 1,
      generatedAt: '2026-01-01T00:00:00Z',
      mode: 'smoke',
      machine: {
        cpuModel: 'CPU X',
        cores: 2,
        memoryBytes: 2 ** 30,
        platform: 'linux',
        arch: 'x64',
        node: 'v20',
        python: null,
        commit: null,
      },
      suites: [
        {
          id: 'memory',
          title: 'Memory',
          status: 'ok',
          experiments: [
            {
              id: 'm',
              title: 'Per thread',
              description: 'd',
              params: { n: 4 },
              unit: 'bytes',
              rows: [
                {
                  label: 'worker thread',
                  runtime: 'node',
                  model: 'threads',
                  tool: 't',
                  median: 10 * 2 ** 20,
                  min: 9 * 2 ** 20,
                  max: 11 * 2 ** 20,
                  samples: 3,
                },
                {
                  label: 'thread',
                  runtime: 'python',
                  model: 'threads',
                  tool: 'ThreadPoolExecutor',
                  median: 0,
                  min: 0,
                  max: 0,
                  samples: 0,
                  status: 'skipped',
                  note: 'python3 was not found',
                },
              ],
              notes: [],
            },
          ],
        },
      ],
    });
    expect(text).toMatch(/CPU X, 2 cores, 1\.00 GiB/);
    expect(text).toMatch(/worker thread\s+node\s+t\s+10\.0 MiB\s+9\.00 MiB – 11\.0 MiB\s+3/);
    expect(text).toMatch(/thread\s+python\s+ThreadPoolExecutor\s+skipped: python3 was not found/);
  });
});
