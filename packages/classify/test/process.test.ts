// classifyProcess: a process this test starts, sampled from /proc while it runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyProcess, ProcessAccessError } from '../src/index.js';

const linux = process.platform === 'linux';
const children: ChildProcess[] = [];

function start(code: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  children.push(child);
  return child;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!linux)('classifyProcess', () => {
  it('a process computing: cpu-bound, with its pid, command line and threads', async () => {
    const child = start('for (;;) {}');
    await sleep(200);
    const r = await classifyProcess(child.pid!, { durationMs: 1000 });
    expect(r.target).toBe('process');
    expect(r.kind).toBe('cpu-bound');
    expect(r.process).toMatchObject({ pid: child.pid, exited: false });
    expect(r.process!.argv).toContain('for (;;) {}');
    expect(r.process!.durationMs).toBeGreaterThan(900);
    expect(r.runtime?.name).toBe('node');
    expect(r.threads!.find((t) => t.kind === 'main')!.cpuMs).toBeGreaterThan(0.5 * r.cpuMs);
    expect(r.labelFrom).toBe('whole-run');
    expect(r.phases?.map((p) => p.name)).toEqual(['steady']);
  });

  it('a process waiting on timers: io-bound', async () => {
    const child = start('setInterval(() => { let x = 0; for (let i = 0; i < 1e4; i++) x += i; }, 20)');
    await sleep(200);
    const r = await classifyProcess(child.pid!, { durationMs: 800 });
    expect(r.kind).toBe('io-bound');
  });

  it('a process that exits during the sampling is reported until then', async () => {
    const child = start('const s = Date.now(); while (Date.now() - s < 700) {}');
    await sleep(100);
    const r = await classifyProcess(child.pid!, { durationMs: 5000 });
    expect(r.process!.exited).toBe(true);
    expect(r.process!.durationMs).toBeLessThan(4000);
    expect(r.evidence.join('\n')).toMatch(/exited after .* the report covers the time until then/);
  });

  it('no such process: ProcessAccessError, not-found', async () => {
    const child = start('');
    await new Promise((r) => child.once('exit', r));
    await expect(classifyProcess(child.pid!, { durationMs: 200 })).rejects.toMatchObject({
      name: 'ProcessAccessError',
      reason: 'not-found',
      message: `no such process: ${child.pid}`,
    });
    await expect(classifyProcess(0)).rejects.toThrow(TypeError);
    expect(new ProcessAccessError('x', 1, 'not-permitted').reason).toBe('not-permitted');
  });
});
