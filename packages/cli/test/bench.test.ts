import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateResults } from '@forkroad/bench';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchArgs, withoutNode } from '../src/bench/args.js';
import { progressView } from '../src/bench/progress.js';
import { UsageError } from '../src/io.js';
import { main } from '../src/main.js';
import { fakeIO, Sink } from './fake-io.js';

const dir = mkdtempSync(join(tmpdir(), 'forkroad-bench-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forkroad bench: arguments', () => {
  it('defaults to the full run of everything', () => {
    expect(parseBenchArgs([])).toEqual({ help: false, mode: 'full', suites: [] });
  });

  it('takes modes, repeated or comma-separated suites and --out', () => {
    expect(parseBenchArgs(['--quick', '--suite', 'io', '--suite=cpu,python', '--out', 'x.json'])).toEqual({
      help: false,
      mode: 'quick',
      suites: ['io', 'cpu', 'python'],
      out: 'x.json',
    });
    expect(parseBenchArgs(['--smoke']).mode).toBe('smoke');
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });

  it('takes backends, repeated or comma-separated, and another node', () => {
    expect(
      parseBenchArgs(['--backend', 'threads', '--backend=async,threads', '--node', '/n/bin/node']),
    ).toEqual({
      help: false,
      mode: 'full',
      suites: [],
      backends: ['threads', 'async'],
      node: '/n/bin/node',
    });
    expect(withoutNode(['--quick', '--node', '/n', '--suite', 'io', '--node=/m'])).toEqual([
      '--quick',
      '--suite',
      'io',
    ]);
  });

  it('rejects bad usage with a UsageError', () => {
    for (const argv of [
      ['--suite', 'gpu'],
      ['--quick', '--smoke'],
      ['--bogus'],
      ['extra'],
      ['--out', ''],
      ['--suite'],
    ]) {
      expect(() => parseBenchArgs(argv), argv.join(' ')).toThrow(UsageError);
    }
    expect(() => parseBenchArgs(['--backend', 'fibers'])).toThrow(
      "--backend must be one of async, threads, processes (got 'fibers')",
    );
    expect(() => parseBenchArgs(['--node', ' '])).toThrow('--node needs the path of a node binary');
    expect(() => parseBenchArgs(['--suite', 'gpu'])).toThrow(
      "--suite must be one of io, cpu, overhead, pools, memory, startup, payload, python (got 'gpu')",
    );
  });
});

describe('forkroad bench: main()', () => {
  it('a bad --suite exits 2 with one line naming the allowed values', async () => {
    const { io, stdout, stderr } = fakeIO();
    expect(await main(['bench', '--suite', 'gpu'], io)).toBe(2);
    expect(stderr.text).toBe(
      "forkroad bench: --suite must be one of io, cpu, overhead, pools, memory, startup, payload, python (got 'gpu')\n",
    );
    expect(stdout.text).toBe('');
  });

  it('--help prints the usage and exits 0; the command is listed', async () => {
    const { io, stdout } = fakeIO();
    expect(await main(['bench', '--help'], io)).toBe(0);
    expect(stdout.text).toMatch(/^usage: forkroad bench/);
    const listed = fakeIO();
    expect(await main(['--help'], listed.io)).toBe(0);
    expect(listed.stdout.text).toMatch(/^ {2}bench {5}/m);
  });

  it('--smoke --out writes JSON that validates, prints tables, and plain progress lines off a terminal', async () => {
    const out = join(dir, 'nested', 'results.json');
    const { io, stdout, stderr } = fakeIO(false);
    const code = await main(['bench', '--smoke', '--suite', 'cpu,overhead', '--out', out], io);
    expect(code, stderr.text).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(validateResults(written)).toEqual([]);
    expect(written.mode).toBe('smoke');
    expect(written.suites.map((s: { id: string }) => s.id)).toEqual(['cpu', 'overhead']);
    expect(stdout.text).toMatch(/forkroad bench \(smoke\)/);
    expect(stdout.text).toMatch(/Primality of 6 numbers/);
    expect(stdout.text).toMatch(/piscina/);
    expect(stdout.text).toContain(`results: ${out}`);
    expect(stderr.text).toMatch(/^bench cpu: CPU-bound/m);
    expect(stderr.text).toMatch(/^bench cpu 1\/\d+ /m);
    expect(stderr.text).not.toContain('\x1b[');
  }, 180_000);
});

describe('forkroad bench --node', () => {
  it('runs the suites under that node binary, which the results name, with --backend applied', async () => {
    const out = join(dir, 'other-node.json');
    const { io, stdout, stderr } = fakeIO(false);
    const argv = [
      'bench',
      '--smoke',
      '--suite',
      'overhead',
      '--backend',
      'async',
      '--node',
      process.execPath,
    ];
    const code = await main([...argv, '--out', out], io);
    expect(code, stderr.text).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(validateResults(written)).toEqual([]);
    expect(written.machine.node).toBe(process.version);
    expect(written.backends).toEqual(['async']);
    expect(written.suites[0].experiments.map((e: { id: string }) => e.id)).toEqual([
      'overhead-async',
      'overhead-async-host',
    ]);
    expect(stdout.text).toMatch(/^Targets \(issue 10; Node\.js v\d+/m);
    expect(stdout.text).toContain(`results: ${out}`);
  }, 180_000);

  it('a node binary that cannot run exits 1 saying so', async () => {
    const { io, stderr } = fakeIO(false);
    expect(await main(['bench', '--smoke', '--node', join(dir, 'no-such-node')], io)).toBe(1);
    expect(stderr.text).toMatch(/^forkroad bench: cannot run --node .*no-such-node: /);
  });
});

describe('forkroad bench: progress bars', () => {
  it('draws one bar per suite in place on a terminal, ending each with a newline', () => {
    const stream = new Sink(true, 80);
    const view = progressView(stream);
    view.update({ type: 'suite-start', suite: 'cpu', title: 'CPU', total: 4 });
    view.update({ type: 'step', suite: 'cpu', done: 2, total: 4, label: 'node threads ×2' });
    view.update({ type: 'suite-end', suite: 'cpu', status: 'ok', ms: 1234 });
    view.stop();
    const lines = stream.text.split('\n');
    expect(lines).toHaveLength(2);
    expect(stream.text).toContain('\r\x1b[K');
    expect(stream.text).toMatch(/cpu {6}█{12}░{12} {5}2\/4 .*node threads ×2/);
    expect(lines[0]).toMatch(/█{24} {5}4\/4 {4}1\.2 s {2}done$/);
  });
});
