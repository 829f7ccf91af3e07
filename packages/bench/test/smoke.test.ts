import { readFileSync } from 'node:fs';
import { hasRedisServer } from '@forkroad/distributed/redis-server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  type BenchProgress,
  type BenchResults,
  type Experiment,
  evaluateTargets,
  findPython,
  formatResults,
  runBench,
  type SuiteId,
  validateResults,
} from '../dist/index.js';

const schema = JSON.parse(readFileSync(new URL('../results/schema.json', import.meta.url), 'utf8'));
const schemaAccepts = new Ajv2020({ allErrors: true, validateFormats: false }).compile(schema);
const python = findPython(process.env.FORKROAD_PYTHON ?? 'python3');

function valid(results: BenchResults): void {
  expect(validateResults(results)).toEqual([]);
  expect(schemaAccepts(results)).toBe(true);
}

function experiment(results: BenchResults, suite: SuiteId, id: string): Experiment {
  const found = results.suites.find((s) => s.id === suite)?.experiments.find((e) => e.id === id);
  if (!found) throw new Error(`no experiment ${suite}/${id}`);
  return found;
}

function row(e: Experiment, runtime: 'node' | 'python', label: string) {
  const found = e.rows.find((r) => r.runtime === runtime && r.label === label);
  if (!found) throw new Error(`no ${runtime} row ${label} in ${e.id}`);
  return found;
}

/** Smoke runs are seconds each; the generous limit is for a busy machine. */
const LIMIT = 180_000;

describe('a smoke run of each suite', () => {
  it(
    'io: sequential waits once per request, the concurrent models about once',
    async () => {
      const events: BenchProgress[] = [];
      const results = await runBench({ mode: 'smoke', suites: ['io'], onProgress: (e) => events.push(e) });
      valid(results);
      expect(results.mode).toBe('smoke');
      expect(results.suites.map((s) => s.id)).toEqual(['io']);
      const few = experiment(results, 'io', 'io-few');
      const sequential = row(few, 'node', 'sequential');
      const delay = few.params.delayMs as number;
      const requests = few.params.requests as number;
      expect(sequential.median).toBeGreaterThanOrEqual(delay * requests * 0.9);
      for (const model of ['async', 'threads', 'processes']) {
        const r = row(few, 'node', model);
        expect(r.status).toBeUndefined();
        expect(r.median).toBeGreaterThanOrEqual(delay * 0.9);
        expect(r.median).toBeLessThan(sequential.median);
      }
      const many = experiment(results, 'io', 'io-many');
      expect(row(many, 'node', 'async').samples).toBeGreaterThan(0);
      expect(row(many, 'node', 'threads').status).toBe('skipped');
      // No Python rows unless asked for.
      expect(few.rows.every((r) => r.runtime === 'node')).toBe(true);
      // Progress: a start, steps counting up to the announced total, an end.
      expect(events[0]).toMatchObject({ type: 'suite-start', suite: 'io' });
      const total = (events[0] as { total: number }).total;
      const steps = events.filter((e) => e.type === 'step');
      expect(steps).toHaveLength(total);
      expect(steps.at(-1)).toMatchObject({ done: total, total });
      expect(events.at(-1)).toMatchObject({ type: 'suite-end', suite: 'io', status: 'ok' });
    },
    LIMIT,
  );

  it(
    'cpu: every model finds the same primes; speedups are against sequential',
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['cpu'] });
      valid(results);
      const e = experiment(results, 'cpu', 'cpu-primes');
      expect(e.baseline).toBe('sequential');
      expect(row(e, 'node', 'sequential').ratio).toBe(1);
      const models = new Set(e.rows.map((r) => r.model));
      expect([...models].sort()).toEqual(['async', 'processes', 'sequential', 'threads']);
      for (const r of e.rows) {
        expect(r.samples).toBeGreaterThan(0);
        expect(r.ratio).toBeGreaterThan(0);
      }
    },
    LIMIT,
  );

  it(
    'overhead: each backend beside the libraries people would pick instead',
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['overhead'] });
      valid(results);
      const tools = (id: string) => experiment(results, 'overhead', id).rows.map((r) => r.tool);
      expect(tools('overhead-async')).toEqual(
        expect.arrayContaining(['p-limit', 'p-map', 'reference-limit.ts', '@forkroad/async']),
      );
      expect(tools('overhead-threads')).toEqual(
        expect.arrayContaining(['piscina', 'tinypool', 'workerpool (thread)', '@forkroad/threads']),
      );
      expect(tools('overhead-processes')).toEqual(
        expect.arrayContaining(['workerpool', '@forkroad/processes']),
      );
      for (const e of results.suites[0]!.experiments) {
        expect(e.unit).toBe(e.id === 'overhead-async-host' ? 'ms' : 'tasks/s');
        expect(e.rows.map((r) => r.label)).toContain(e.baseline);
        for (const r of e.rows) expect(r.median).toBeGreaterThan(0);
      }
      const host = experiment(results, 'overhead', 'overhead-async-host');
      expect(host.rows.map((r) => r.label)).toEqual([
        'fresh process',
        'after @forkroad/async',
        'after p-map',
      ]);
      // The targets this document has numbers for: the async ones of overhead.
      expect(evaluateTargets(results).map((t) => t.id)).toEqual([
        'async-submit-vs-p-limit',
        'async-submit-vs-p-map',
        'async-map-vs-p-map',
        'async-host-promises',
      ]);
      expect(formatResults(results)).toMatch(
        /^ {2}(met {4}|NOT met) {2}@forkroad\/async submit ≥ 3× p-limit's rate: /m,
      );
    },
    LIMIT,
  );

  it(
    'pools: a fresh pool of each parallel backend against its peers, first result and first batch',
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['pools'] });
      valid(results);
      const ids = results.suites[0]!.experiments.map((e) => e.id);
      expect(ids).toEqual([
        'pools-startup-threads',
        'pools-first-batch-threads',
        'pools-startup-processes',
        'pools-first-batch-processes',
      ]);
      const batch = experiment(results, 'pools', 'pools-first-batch-threads');
      expect(batch.rows.map((r) => r.label)).toEqual([
        'sequential',
        '@forkroad/threads',
        'piscina',
        'tinypool',
        'workerpool (thread)',
      ]);
      expect(row(batch, 'node', 'sequential').ratio).toBe(1);
      expect(evaluateTargets(results).map((t) => t.id)).toEqual([
        'threads-first-batch',
        'processes-first-batch',
      ]);
    },
    LIMIT,
  );

  it(
    'backends: a run narrowed to one backend has its rows, the sequential ones, and says so',
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['cpu', 'pools'], backends: ['processes'] });
      valid(results);
      expect(results.backends).toEqual(['processes']);
      const models = new Set(
        results.suites.flatMap((s) => s.experiments.flatMap((e) => e.rows.map((r) => r.model))),
      );
      expect([...models].sort()).toEqual(['processes', 'sequential']);
      expect(results.suites[1]!.experiments.map((e) => e.id)).toEqual([
        'pools-startup-processes',
        'pools-first-batch-processes',
      ]);
    },
    LIMIT,
  );

  it(
    'memory: a worker thread costs more than a pending task, a process more than nothing',
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['memory'] });
      valid(results);
      const task = row(experiment(results, 'memory', 'memory-async-task'), 'node', '@forkroad/async task');
      const thread = row(experiment(results, 'memory', 'memory-thread'), 'node', 'worker thread');
      const child = row(experiment(results, 'memory', 'memory-process'), 'node', 'child process');
      const map = experiment(results, 'memory', 'memory-async-map');
      expect(map.rows.map((r) => r.label)).toEqual(['@forkroad/async map', 'p-map']);
      expect(row(map, 'node', 'p-map').ratio).toBe(1);
      expect(thread.median).toBeGreaterThan(task.median);
      expect(child.median).toBeGreaterThan(1024 * 1024);
      expect(task.details?.heapPerUnit).toBeGreaterThan(0);
    },
    LIMIT,
  );

  it(
    `distributed: every experiment measured, its targets judged, no task lost (${hasRedisServer() ? 'redis-server found' : 'redis-server absent: skipped, saying how to get it'})`,
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['distributed'] });
      valid(results);
      const suite = results.suites[0]!;
      if (!hasRedisServer()) {
        expect(suite.status).toBe('skipped');
        expect(suite.note).toMatch(/apt-get install redis-server/);
        return;
      }
      expect(suite.experiments.map((e) => e.id)).toEqual([
        'distributed-tiny',
        'distributed-primes',
        'distributed-recovery',
        'distributed-chaos',
      ]);
      const notes = suite.experiments.flatMap((e) => e.notes).filter((n) => n.startsWith('target'));
      expect(notes).toHaveLength(4);
      for (const note of notes) expect(note).toMatch(/^target (met|NOT met): /);
      const chaos = row(
        experiment(results, 'distributed', 'distributed-chaos'),
        'node',
        'submit, hosts killed and restarted',
      );
      expect(chaos.details).toMatchObject({ failed: 0, wrong: 0 });
      const raw = row(
        experiment(results, 'distributed', 'distributed-tiny'),
        'node',
        'BullMQ add + waitUntilFinished',
      );
      expect(raw.median).toBeGreaterThan(0);
      expect(evaluateTargets(results).map((t) => t.id)).toEqual(['distributed-submit-vs-bullmq']);
    },
    LIMIT,
  );

  it(
    `python: Python's rows in every suite but overhead (${python ? `python3 ${python.version} found` : 'python3 absent'})`,
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['python'] });
      valid(results);
      expect(results.suites.map((s) => s.id)).toEqual(['io', 'cpu', 'memory', 'startup', 'payload']);
      const rows = results.suites.flatMap((s) => s.experiments.flatMap((e) => e.rows));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.runtime === 'python')).toBe(true);
      expect(results.machine.python).toBe(python?.version ?? null);
      if (python) {
        const few = experiment(results, 'io', 'io-few');
        expect(row(few, 'python', 'sequential').median).toBeGreaterThan(row(few, 'python', 'async').median);
        expect(row(experiment(results, 'cpu', 'cpu-primes'), 'python', 'sequential').ratio).toBe(1);
        expect(
          row(experiment(results, 'memory', 'memory-async-task'), 'python', 'asyncio task').median,
        ).toBeGreaterThan(0);
      } else {
        expect(rows.every((r) => r.status === 'skipped' && /python3 was not found/.test(r.note ?? ''))).toBe(
          true,
        );
      }
    },
    LIMIT,
  );

  it(
    'python absent: every Python row is skipped, visibly, and the JSON says so',
    async () => {
      const results = await runBench({
        mode: 'smoke',
        suites: ['cpu', 'python'],
        python: '/nonexistent/python3',
      });
      valid(results);
      expect(results.machine.python).toBeNull();
      const e = experiment(results, 'cpu', 'cpu-primes');
      const pythonRows = e.rows.filter((r) => r.runtime === 'python');
      expect(pythonRows.length).toBeGreaterThan(0);
      for (const r of pythonRows) {
        expect(r).toMatchObject({ status: 'skipped', samples: 0 });
        expect(r.note).toMatch(/python3 was not found/);
      }
      expect(e.notes.join('\n')).toMatch(/python3 was not found/);
      // Node's rows are still measured.
      expect(e.rows.filter((r) => r.runtime === 'node').every((r) => r.samples > 0)).toBe(true);
      expect(formatResults(results)).toMatch(/skipped: python3 was not found/);
    },
    LIMIT,
  );

  it(
    'python alone, absent: the suites are marked skipped',
    async () => {
      const results = await runBench({ mode: 'smoke', suites: ['python'], python: '/nonexistent/python3' });
      valid(results);
      for (const suite of results.suites) {
        expect(suite.status).toBe('skipped');
        expect(suite.note).toMatch(/python3 was not found/);
      }
    },
    LIMIT,
  );
});
