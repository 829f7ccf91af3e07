// The Node.js half of the corpus: real workloads, generous margins, never exact times.
import { pbkdf2, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFunction, type WorkloadReport } from '../src/index.js';
import { burnCpu, busy } from './helpers.js';

const gzipAsync = promisify(gzip);
const pbkdf2Async = promisify(pbkdf2);

function expectWellFormed(r: WorkloadReport): void {
  expect(r.target).toBe('function');
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.evidence.length).toBeGreaterThan(2);
  expect(r.evidence[0]).toContain(r.kind);
  for (const model of ['async', 'threads', 'processes'] as const) {
    expect(r.speedup[model].speedup).toBeGreaterThanOrEqual(1);
  }
  if (r.kind === 'cpu-bound') {
    expect(r.speedup.threads.speedup).toBeLessThanOrEqual(r.capacity.availableParallelism + 0.01);
  }
  expect(r.parallelism).toBeGreaterThanOrEqual(1);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
}

describe('classifyFunction corpus', () => {
  it('Node busy loop: cpu-bound on the main thread', async () => {
    const r = await classifyFunction(() => busy(300), { runs: 2 });
    expectWellFormed(r);
    expect(r.kind).toBe('cpu-bound');
    expect(r.cpuSite).toBe('main-thread');
    expect(r.computeShare).toBeGreaterThan(0.85);
    expect(r.parallelism).toBeLessThan(1.3);
    expect(r.function!.eventLoopUtilization).toBeGreaterThan(0.8);
    expect(r.speedup.async.speedup).toBeLessThan(1.3);
  });

  it('await setTimeout: io-bound', async () => {
    const r = await classifyFunction(() => sleep(300), { runs: 2 });
    expectWellFormed(r);
    expect(r.kind).toBe('io-bound');
    expect(r.cpuShare).toBeLessThan(0.1);
    expect(r.function!.eventLoopUtilization).toBeLessThan(0.2);
    expect(r.confidence).toBeGreaterThan(0.6);
    expect(r.speedup.async.speedup).toBeGreaterThan(5);
    expect(r.wallMs).toBeGreaterThan(250);
  });

  it('four async pbkdf2 calls: cpu-bound off the main thread', async () => {
    const r = await classifyFunction(
      () => Promise.all([1, 2, 3, 4].map((i) => pbkdf2Async('secret', `salt${i}`, 250_000, 32, 'sha256'))),
      { runs: 2 },
    );
    expectWellFormed(r);
    expect(r.kind).toBe('cpu-bound');
    expect(r.cpuSite).toBe('off-main-thread');
    expect(r.function!.offThreadCpuMs).toBeGreaterThan(5 * r.function!.threadCpuMs);
    expect(r.function!.eventLoopUtilization).toBeLessThan(0.3);
    expect(r.evidence.join('\n')).toMatch(/thread pool/);
  });

  it('async gzip of 20 MB: cpu-bound off the main thread', async () => {
    const data = randomBytes(20 * 1024 * 1024);
    const r = await classifyFunction((buf: Buffer) => gzipAsync(buf), { args: [data], runs: 2, warmup: 0 });
    expectWellFormed(r);
    expect(r.kind).toBe('cpu-bound');
    expect(r.cpuSite).toBe('off-main-thread');
    expect(r.function!.offThreadCpuMs).toBeGreaterThan(r.function!.threadCpuMs);
  });

  describe('requests to a local HTTP delay server', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        setTimeout(() => res.end('ok'), 100);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('is io-bound', async () => {
      const r = await classifyFunction(
        async () => {
          for (let i = 0; i < 3; i++) await (await fetch(url)).text();
        },
        { runs: 2 },
      );
      expectWellFormed(r);
      expect(r.kind).toBe('io-bound');
      expect(r.wallMs).toBeGreaterThan(280);
      // The server runs in this process, on the same thread: its callbacks count as other work.
      expect(r.speedup.async.speedup).toBeGreaterThan(3);
    });
  });

  it('half busy, half sleeping: mixed', async () => {
    const r = await classifyFunction(
      async () => {
        burnCpu(200);
        await sleep(200);
      },
      { runs: 2 },
    );
    expectWellFormed(r);
    expect(r.kind).toBe('mixed');
    expect(r.computeShare).toBeGreaterThan(0.35);
    expect(r.computeShare).toBeLessThan(0.65);
    expect(r.cpuSite).toBe('main-thread');
  });
});

describe('classifyFunction options', () => {
  it('isolate: runs a self-contained function in a worker', async () => {
    const cpu = await classifyFunction(
      (ms: number) => {
        const end = performance.now() + ms;
        while (performance.now() < end);
      },
      { args: [300], runs: 2, isolate: true },
    );
    expectWellFormed(cpu);
    expect(cpu.function!.isolated).toBe(true);
    expect(cpu.kind).toBe('cpu-bound');
    expect(cpu.cpuSite).toBe('main-thread');

    const io = await classifyFunction(() => new Promise((resolve) => setTimeout(resolve, 300)), {
      runs: 2,
      isolate: true,
    });
    expect(io.kind).toBe('io-bound');
  });

  it('isolate: can require built-in modules, and reports errors from the worker', async () => {
    const r = await classifyFunction(
      () => new Promise((resolve) => require('node:crypto').pbkdf2('a', 'b', 200_000, 32, 'sha256', resolve)),
      { runs: 1, warmup: 0, isolate: true },
    );
    expect(r.kind).toBe('cpu-bound');
    expect(r.cpuSite).toBe('off-main-thread');
    await expect(
      classifyFunction(
        () => {
          throw new RangeError('boom');
        },
        { isolate: true, warmup: 0 },
      ),
    ).rejects.toThrow('boom');
  });

  it('other work on the main thread lowers the confidence and says why; isolate avoids it', async () => {
    const clean = await classifyFunction(() => sleep(400), { runs: 2 });
    const hog = setInterval(() => busy(25), 40);
    try {
      const noisy = await classifyFunction(() => sleep(400), { runs: 2 });
      expect(noisy.function!.interferenceMs).toBeGreaterThan(100);
      expect(noisy.evidence.join('\n')).toMatch(/other work ran .* on the same thread/);
      expect(noisy.confidence).toBeLessThan(clean.confidence);
      expect(noisy.kind).toBe('io-bound');

      const isolated = await classifyFunction(() => new Promise((resolve) => setTimeout(resolve, 400)), {
        runs: 2,
        isolate: true,
      });
      expect(isolated.function!.interferenceMs).toBe(0);
      expect(isolated.kind).toBe('io-bound');
    } finally {
      clearInterval(hog);
    }
  });

  it('two-point probe gives the Karp–Flatt serial fraction for async', async () => {
    const io = await classifyFunction(() => sleep(200), { runs: 1, probe: 4 });
    expect(io.probes).toHaveLength(1);
    expect(io.probes[0]!.model).toBe('async');
    expect(io.probes[0]!.serialFraction).toBeLessThan(0.3);
    expect(io.speedup.async.method).toBe('karp-flatt');
    expect(io.speedup.threads.method).toBe('amdahl');

    const cpu = await classifyFunction(() => burnCpu(150), { runs: 3, probe: 2 });
    expect(cpu.probes[0]!.serialFraction).toBeGreaterThan(0.7);
    expect(cpu.speedup.async.speedup).toBeLessThan(1.4);
  });

  it('rejects bad options and passes errors of the function through', async () => {
    await expect(classifyFunction(() => 1, { runs: 0 })).rejects.toThrow(RangeError);
    await expect(classifyFunction(() => 1, { probe: 1 })).rejects.toThrow(RangeError);
    await expect(
      classifyFunction(async () => {
        throw new Error('inner');
      }),
    ).rejects.toThrow('inner');
  });
});
