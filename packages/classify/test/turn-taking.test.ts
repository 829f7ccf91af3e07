// Threads that take turns on one CPU: CPython's GIL.
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../src/index.js';
import { type RawWindow, turnTakers } from '../src/timeline.js';
import { hasPython, python } from './helpers.js';

const linux = process.platform === 'linux';

const gilBound = `
from concurrent.futures import ThreadPoolExecutor
def work(n):
    s = 0
    for i in range(n): s += i * i
    return s
with ThreadPoolExecutor(4) as ex: list(ex.map(work, [4_000_000] * 4))
`;

const slice = (key: string, cpuMs: number, runQueueMs: number, voluntary: number) => ({
  key,
  name: 'python3',
  kind: 'other' as const,
  cpuMs,
  runQueueMs,
  voluntary,
});

describe('turnTakers', () => {
  it('threads that share one CPU and block at every hand-over take turns', () => {
    const w: RawWindow = {
      startMs: 0,
      wallMs: 100,
      threads: [slice('a', 30, 2, 8), slice('b', 35, 3, 9), slice('c', 30, 1, 7)],
    };
    expect(turnTakers(w)).toHaveLength(3);
  });

  it('threads computing in parallel, or starved without blocking, do not', () => {
    const parallel: RawWindow = {
      startMs: 0,
      wallMs: 100,
      threads: [slice('a', 95, 2, 0), slice('b', 95, 3, 1)],
    };
    expect(turnTakers(parallel)).toEqual([]);
    const starved: RawWindow = {
      startMs: 0,
      wallMs: 100,
      threads: [slice('a', 30, 70, 0), slice('b', 30, 70, 0)],
    };
    expect(turnTakers(starved)).toEqual([]);
    const waitingOnIo: RawWindow = {
      startMs: 0,
      wallMs: 100,
      threads: [slice('a', 3, 0, 5), slice('b', 4, 0, 6)],
    };
    expect(turnTakers(waitingOnIo)).toEqual([]);
  });
});

describe.skipIf(!linux || !hasPython)('classifyCommand: GIL-bound Python threads', () => {
  it('4 threads computing: cpu-bound, taking turns on the GIL; threads gain nothing, processes do', async () => {
    const r = await classifyCommand([python!, '-c', gilBound]);
    expect(r.kind).toBe('cpu-bound');
    expect(r.turnTaking).toMatchObject({ cause: 'gil' });
    expect(r.turnTaking!.threads).toBeGreaterThanOrEqual(2);
    expect(r.turnTaking!.cpus).toBeLessThan(1.3);
    expect(r.evidence.join('\n')).toMatch(
      /threads took turns on one CPU .*Python's GIL; processes would run them in parallel/,
    );
    expect(r.alreadyParallel).toBeNull();
    // Python's models: the GIL bounds threads; the estimate does not come from Node's threads.
    expect(r.speedup).toEqual(r.speedupByRuntime!.python);
    expect(r.speedup.threads.speedup).toBeLessThan(1.2);
    expect(r.speedup.threads.serialFraction).toBeGreaterThan(0.8);
    expect(r.speedup.processes.speedup).toBeGreaterThanOrEqual(r.speedup.threads.speedup);
    expect(r.speedupByRuntime!.node.threads.serialFraction).toBe(0);
    // Lock hand-over is not "waiting for a CPU".
    expect(r.evidence.join('\n')).not.toMatch(/hand-over.*short of CPUs/);
  });

  it('one Python thread sleeping while another computes does not take turns', async () => {
    const r = await classifyCommand([
      python!,
      '-c',
      'import threading, time\nt = threading.Thread(target=time.sleep, args=(0.5,)); t.start()\ns = 0\nfor i in range(3_000_000): s += i\nt.join()',
    ]);
    expect(r.turnTaking).toBeNull();
  });
});

describe.skipIf(!linux)('classifyCommand: Node worker threads computing', () => {
  it('do not take turns: no lock between them', async () => {
    const r = await classifyCommand([
      process.execPath,
      '-e',
      'const { Worker } = require("node:worker_threads"); for (let i = 0; i < 2; i++) new Worker("const s = process.cpuUsage(); while (process.cpuUsage(s).user < 250e3);", { eval: true });',
    ]);
    expect(r.kind).toBe('cpu-bound');
    expect(r.turnTaking).toBeNull();
    expect(r.runtime?.name).toBe('node');
    expect(r.speedup).toEqual(r.speedupByRuntime!.node);
    const kinds = new Set(r.threads!.map((t) => t.kind));
    expect(kinds.has('main')).toBe(true);
  });
});
