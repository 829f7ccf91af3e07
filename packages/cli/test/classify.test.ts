import type { WorkloadReport } from '@forkroad/classify';
import { describe, expect, it } from 'vitest';
import { parseClassifyArgs } from '../src/classify/args.js';
import { UsageError } from '../src/io.js';
import { main } from '../src/main.js';
import { fakeIO } from './fake-io.js';

const linux = process.platform === 'linux';
const sleeper = ['sleep', '0.4'];

describe('forkroad classify: arguments', () => {
  it('takes the command after -- or from the first non-option', () => {
    expect(parseClassifyArgs(['--runs', '2', '--json', '--', 'sleep', '1'])).toMatchObject({
      runs: 2,
      json: true,
      command: ['sleep', '1'],
    });
    expect(parseClassifyArgs(['--json', 'python3', '-c', 'pass', '--', 'x']).command).toEqual([
      'python3',
      '-c',
      'pass',
      '--',
      'x',
    ]);
    expect(parseClassifyArgs(['--runs=3', 'sh', '--json']).command).toEqual(['sh', '--json']);
    expect(parseClassifyArgs(['--timeout', '500', '--probe', '2', 'ls'])).toMatchObject({
      timeout: 500,
      probe: 2,
    });
  });

  it('rejects bad usage with a UsageError', () => {
    for (const argv of [
      [],
      ['--runs', '0', 'ls'],
      ['--runs', 'x', 'ls'],
      ['--bogus', 'ls'],
      ['--runs'],
      ['--probe', '1', 'ls'],
    ]) {
      expect(() => parseClassifyArgs(argv)).toThrow(UsageError);
    }
  });
});

describe('forkroad classify: main()', () => {
  it('usage errors exit 2 with one line', async () => {
    for (const argv of [
      ['classify'],
      ['classify', '--runs', '0', '--', 'sleep', '0'],
      ['classify', '--bogus', '--', 'ls'],
    ]) {
      const { io, stderr, stdout } = fakeIO();
      expect(await main(argv, io)).toBe(2);
      expect(stderr.text).toMatch(/^forkroad classify: .+\n$/);
      expect(stdout.text).toBe('');
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const { io, stdout } = fakeIO();
    expect(await main(['classify', '--help'], io)).toBe(0);
    expect(stdout.text).toMatch(/^usage: forkroad classify/);
  });

  it.skipIf(!linux)('a command that does not exist: one-line error, exit 1', async () => {
    const { io, stderr, stdout } = fakeIO();
    expect(await main(['classify', '--', 'forkroad-no-such-command-xyz', '--flag'], io)).toBe(1);
    expect(stderr.text).toBe(
      "forkroad classify: cannot run 'forkroad-no-such-command-xyz': command not found\n",
    );
    expect(stdout.text).toBe('');
  });

  it.skipIf(!linux)('--json prints the WorkloadReport, with or without --', async () => {
    for (const argv of [
      ['classify', '--json', '--', ...sleeper],
      ['classify', '--json', ...sleeper],
    ]) {
      const { io, stdout } = fakeIO();
      expect(await main(argv, io)).toBe(0);
      const report = JSON.parse(stdout.text) as WorkloadReport;
      expect(report.kind).toBe('io-bound');
      expect(report.target).toBe('command');
      expect(report.command?.argv).toEqual(sleeper);
      expect(report.speedup.async.speedup).toBeGreaterThanOrEqual(1);
    }
  });

  it.skipIf(!linux)("--json keeps stdout for the report: the command's output goes to stderr", async () => {
    const { io, stdout, stderr } = fakeIO();
    expect(await main(['classify', '--json', '--', 'sh', '-c', 'echo hello; echo oops >&2'], io)).toBe(0);
    expect(() => JSON.parse(stdout.text)).not.toThrow();
    expect(stderr.text).toContain('hello');
    expect(stderr.text).toContain('oops');
  });

  it.skipIf(!linux)('prints a text report with the bar, the label, evidence and estimates', async () => {
    const { io, stdout, stderr } = fakeIO();
    expect(await main(['classify', '--runs', '2', '--', 'sh', '-c', 'sleep 0.2'], io)).toBe(0);
    expect(stdout.text).toContain('IO-BOUND');
    expect(stdout.text).toMatch(/on CPU \d+%.*waiting for a CPU \d+%.*blocked \d+%/);
    expect(stdout.text).toContain('evidence');
    expect(stdout.text).toMatch(/async\s+×/);
    expect(stdout.text).toContain('mean of 2 runs');
    expect(stdout.text).not.toContain('\x1b[');
    expect(stderr.text).toBe(''); // no spinner when stderr is not a terminal
  });

  it.skipIf(!linux)('shows a spinner on a terminal and clears it', async () => {
    const { io, stderr } = fakeIO(true);
    expect(await main(['classify', '--json', '--', 'sleep', '0.3'], io)).toBe(0);
    expect(stderr.text).toContain('measuring sleep 0.3');
    expect(stderr.text.endsWith('\r\x1b[K')).toBe(true);
  });

  it.skipIf(!linux)(
    'exit 0 once measured, even when the command fails; its exit code is reported',
    async () => {
      const { io, stdout } = fakeIO();
      expect(await main(['classify', '--json', '--', 'sh', '-c', 'exit 7'], io)).toBe(0);
      expect((JSON.parse(stdout.text) as WorkloadReport).command?.exitCode).toBe(7);
    },
  );
});
