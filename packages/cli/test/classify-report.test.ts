// forkroad classify --pid and --report: sampling a running process, and the HTML page, checked
// in Chromium (Debian's, as the docs site's tests do).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkloadReport } from '@forkroad/classify';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseClassifyArgs, parseDuration } from '../src/classify/args.js';
import { renderBar } from '../src/classify/render.js';
import { UsageError } from '../src/io.js';
import { main } from '../src/main.js';
import { fakeIO } from './fake-io.js';

const linux = process.platform === 'linux';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'forkroad-classify-report-'));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forkroad classify --pid/--duration/--report: arguments', () => {
  it('parses a pid, a duration and a report file', () => {
    expect(parseClassifyArgs(['--pid', '42', '--duration', '2s', '--report', 'r.html'])).toMatchObject({
      pid: 42,
      durationMs: 2000,
      report: 'r.html',
      command: [],
    });
    expect(parseClassifyArgs(['--report=x.html', '--', 'sleep', '1'])).toMatchObject({
      report: 'x.html',
      command: ['sleep', '1'],
    });
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('3')).toBe(3000);
    expect(parseDuration('0.5s')).toBe(500);
  });

  it('rejects what does not go together, and bad durations', () => {
    for (const argv of [
      ['--pid', '42', '--', 'sleep', '1'],
      ['--duration', '2s', '--', 'sleep', '1'],
      ['--pid', '42', '--runs', '2'],
      ['--pid', '0'],
      ['--pid', '42', '--duration', 'soon'],
      ['--pid', '42', '--duration', '10ms'],
    ]) {
      expect(() => parseClassifyArgs(argv)).toThrow(UsageError);
    }
  });
});

describe('the time bar caption', () => {
  it('does not call run-queue wait CPU: over N CPUs only when CPU exceeds the wall time', () => {
    // CPU ÷ wall 0.98, plus run-queue wait: more than one lane, but one CPU.
    const [, oneCpu] = renderBar({ onCpuMs: 980, runQueueMs: 240, blockedMs: 0, lanes: 1.22 });
    expect(oneCpu).not.toMatch(/over [\d.]+ CPUs/);
    expect(oneCpu).toMatch(/summed over threads/);
    const [, twoCpus] = renderBar({ onCpuMs: 2000, runQueueMs: 0, blockedMs: 0, lanes: 2 });
    expect(twoCpus).toMatch(/over 2\.0 CPUs: CPU time exceeds wall time/);
  });
});

describe.skipIf(!linux)('forkroad classify --pid', { timeout: 60_000 }, () => {
  it('samples a process started by the test and prints its report', async () => {
    const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    children.push(child);
    const { io, stdout } = fakeIO();
    const file = join(dir, 'pid.html');
    const argv = ['classify', '--pid', String(child.pid), '--duration', '1500ms', '--json', '--report', file];
    expect(await main(argv, io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(`pid ${child.pid}: `);
    const report = JSON.parse(stdout.text) as WorkloadReport;
    expect(report.target).toBe('process');
    expect(report.process?.pid).toBe(child.pid);
    expect(report.kind).toBe('cpu-bound');
    expect(report.timeline?.length).toBeGreaterThan(0);
    expect(report.threads?.some((t) => t.kind === 'main')).toBe(true);
  });

  it('no such process: one-line error, exit 1', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    const { io, stderr, stdout } = fakeIO();
    expect(await main(['classify', '--pid', String(child.pid), '--duration', '200ms'], io)).toBe(1);
    expect(stderr.text).toBe(`forkroad classify: no such process: ${child.pid}\n`);
    expect(stdout.text).toBe('');
  });

  it('the human output shows the failure first, then the phases of the timeline', async () => {
    const { io, stdout } = fakeIO();
    const code = 'echo "fatal: cannot connect" >&2; sleep 0.3; exit 2';
    expect(await main(['classify', '--', 'sh', '-c', code], io)).toBe(0);
    const lines = stdout.text.split('\n');
    expect(lines[2]).toMatch(/^ {2}FAILED: exited with code 2/);
    expect(stdout.text).toContain('fatal: cannot connect');
    expect(stdout.text).toMatch(/─ steady \d+ ms/);
  });
});

describe.skipIf(!linux || !existsSync(CHROMIUM))('forkroad classify --report', () => {
  it('writes one self-contained HTML page: failure first, timeline, evidence, estimates', async () => {
    const file = join(dir, 'report.html');
    const { io, stderr } = fakeIO();
    const code =
      'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo "boom: it failed" >&2; sleep 0.3; exit 3';
    expect(await main(['classify', '--report', file, '--', 'sh', '-c', code], io)).toBe(0);
    expect(stderr.text).toContain(`wrote ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
      expect(await page.title()).toMatch(/^forkroad classify: /);
      const sections = await page.locator('main > section').evaluateAll((els) => els.map((e) => e.id));
      expect(sections[0]).toBe('failure');
      expect(sections).toEqual(
        expect.arrayContaining(['label', 'timeline', 'phases', 'threads', 'evidence', 'estimates']),
      );
      expect(await page.locator('#failure pre').textContent()).toContain('boom: it failed');
      expect(await page.locator('#failure h2').textContent()).toContain('exited with code 3');
      const bars = await page.locator('#timeline svg rect[class^="series-"]').count();
      expect(bars).toBeGreaterThan(0);
      const box = await page.locator('#timeline svg').boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(await page.locator('#estimates tr').count()).toBe(7); // header + 2 runtimes × 3 models
      expect(await page.locator('#evidence li').count()).toBeGreaterThan(3);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
