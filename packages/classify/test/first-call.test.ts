// The first call in a fresh process: V8 compiles the fetch implementation on its helper threads
// while the request waits. That CPU is the runtime's, not the function's.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadReport } from '../src/index.js';

const linux = process.platform === 'linux';
const fixture = fileURLToPath(new URL('./fixtures/first-call.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let server: Server;
let url = '';

beforeAll(async () => {
  if (!existsSync(built)) throw new Error('dist/ is missing: build @forkroad/classify first (turbo does)');
  server = createServer((_req, res) => {
    setTimeout(() => res.end('hello'), 150);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function firstCall(warmup: number, runs: number): Promise<WorkloadReport> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fixture, url, String(warmup), String(runs)],
    {
      timeout: 30_000,
    },
  );
  return JSON.parse(stdout) as WorkloadReport;
}

describe.skipIf(!linux)('classifyFunction: the first call in a fresh process', () => {
  it('a fetch from a server answering after 150 ms is io-bound on the very first call', async () => {
    const r = await firstCall(0, 1);
    expect(r.kind).toBe('io-bound');
    expect(r.wallMs).toBeGreaterThan(140);
    expect(r.evidence.join('\n')).not.toMatch(/CPU-bound off the main thread/);
    // CPU is told apart by kind of thread; V8's helpers are reported but not counted.
    expect(r.threads?.[0]?.kind).toBe('main');
    for (const t of r.threads ?? []) expect(t.counted).toBe(t.kind !== 'runtime-helper');
    const helpers = r.threads?.find((t) => t.kind === 'runtime-helper');
    // Named in the evidence when it is more than noise: ≥ 2 ms and ≥ 5% of all the CPU.
    const allCpu = (r.threads ?? []).reduce((sum, t) => sum + t.cpuMs, 0);
    if (helpers && helpers.cpuMs >= 2.1 && helpers.cpuMs >= 0.055 * allCpu) {
      expect(r.evidence.join('\n')).toMatch(/V8's helper threads/);
    }
  });

  it('and with the default warm-up and runs', async () => {
    const r = await firstCall(1, 3);
    expect(r.kind).toBe('io-bound');
    expect(r.computeShare).toBeLessThan(0.3);
  });
});
