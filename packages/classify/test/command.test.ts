// The command half of the corpus: Python, shell and Node programs run as child processes.
import { describe, expect, it } from 'vitest';
import { CommandStartError, classifyCommand, type WorkloadReport } from '../src/index.js';
import { hasPython, python } from './helpers.js';

const linux = process.platform === 'linux';
const py = (code: string): string[] => [python ?? 'python3', '-c', code];

function expectWellFormed(r: WorkloadReport): void {
  expect(r.target).toBe('command');
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.evidence[0]).toContain(r.kind);
  expect(r.command!.cpuSource).toBe('exact');
  for (const model of ['async', 'threads', 'processes'] as const) {
    expect(r.speedup[model].speedup).toBeGreaterThanOrEqual(1);
  }
  expect(r.parallelism).toBeGreaterThanOrEqual(1);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
}

/** Parallelism > 1 can only show when two CPUs were free while it ran. */
function twoCoresFree(r: WorkloadReport): boolean {
  if (r.capacity.cores >= 1.6) return true;
  console.warn(
    `only ${r.capacity.cores} CPU(s) free (other load ${r.capacity.otherLoad}): parallelism not asserted`,
  );
  return false;
}

describe.skipIf(!linux)('classifyCommand: shell and Node', () => {
  it('shell sleep: io-bound', async () => {
    const r = await classifyCommand(['sh', '-c', 'sleep 0.4']);
    expectWellFormed(r);
    expect(r.kind).toBe('io-bound');
    expect(r.cpuShare).toBeLessThan(0.15);
    expect(r.wallMs).toBeGreaterThan(350);
    expect(r.command!.exitCode).toBe(0);
    expect(r.command!.signal).toBeNull();
    expect(r.command!.processes).toBeGreaterThanOrEqual(1);
    expect(r.time.blockedMs).toBeGreaterThan(0.8 * r.wallMs);
  });

  it('Node busy loop: cpu-bound, exact CPU of the child', async () => {
    const r = await classifyCommand([
      process.execPath,
      '-e',
      // 400 ms of CPU work, however long a busy machine makes it take.
      'const s = process.cpuUsage(); let x = 0; while (process.cpuUsage(s).user < 400e3) for (let i = 0; i < 1e5; i++) x += i;',
    ]);
    expectWellFormed(r);
    expect(r.kind).toBe('cpu-bound');
    expect(r.computeShare).toBeGreaterThan(0.8);
    expect(r.cpuMs).toBeGreaterThan(300);
    expect(r.command!.userMs).toBeGreaterThan(r.command!.systemMs);
    expect(r.parallelism).toBeLessThan(1.5);
  });

  it('reports the exit code, the signal and a timeout', async () => {
    const failed = await classifyCommand(['sh', '-c', 'exit 3']);
    expect(failed.command!.exitCode).toBe(3);
    expect(failed.evidence.join('\n')).toMatch(/exited with code 3/);

    const killed = await classifyCommand(['sh', '-c', 'kill -TERM $$']);
    expect(killed.command!.signal).toBe('SIGTERM');
    expect(killed.command!.exitCode).toBeNull();

    const started = performance.now();
    const slow = await classifyCommand(['sleep', '10'], { timeout: 300 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(slow.command!.timedOut).toBe(true);
    expect(slow.command!.signal).toBe('SIGTERM');
    expect(slow.evidence.join('\n')).toMatch(/timeout/);
  });

  it('flags children left running after the command exits', async () => {
    const r = await classifyCommand(['sh', '-c', 'sleep 5 & sleep 0.2'], { killOrphans: true });
    expect(r.command!.orphans.length).toBeGreaterThanOrEqual(1);
    expect(r.evidence.join('\n')).toMatch(/left 1 process running after it exited/);
    expect(r.confidence).toBeLessThan(0.9);
  });

  it('a command that cannot start rejects with CommandStartError', async () => {
    const error = await classifyCommand(['forkroad-no-such-command-xyz']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandStartError);
    expect((error as CommandStartError).code).toBe('ENOENT');
    expect((error as Error).message).toBe("cannot run 'forkroad-no-such-command-xyz': command not found");
    await expect(classifyCommand([])).rejects.toThrow(TypeError);
  });

  it('two-point probe gives the Karp–Flatt serial fraction for processes', async () => {
    const r = await classifyCommand(['sleep', '0.6'], { probe: 3 });
    expect(r.probes).toHaveLength(1);
    expect(r.probes[0]!.model).toBe('processes');
    expect(r.probes[0]!.serialFraction).toBeLessThan(0.5);
    expect(r.speedup.processes.method).toBe('karp-flatt');
  });
});

describe.skipIf(!linux || !hasPython)('classifyCommand: Python', () => {
  it('busy loop: cpu-bound, one CPU', async () => {
    // Over a second of work: a shorter loop is mostly interpreter start-up, which other load can
    // make read as waiting.
    const r = await classifyCommand(py('sum(i * i for i in range(2 * 10**7))'));
    expectWellFormed(r);
    expect(r.kind).toBe('cpu-bound');
    expect(r.computeShare).toBeGreaterThan(0.8);
    expect(r.parallelism).toBeLessThan(1.3);
  });

  it('time.sleep: io-bound', async () => {
    const r = await classifyCommand(py('import time; time.sleep(0.7)'));
    expectWellFormed(r);
    expect(r.kind).toBe('io-bound');
    expect(r.cpuShare).toBeLessThan(0.25);
    expect(r.command!.voluntaryContextSwitches).toBeGreaterThan(0);
  });

  it('multiprocessing pool: cpu-bound, already parallel', async () => {
    const r = await classifyCommand(
      py(
        [
          'import multiprocessing as mp',
          'def work(n):',
          '    return sum(i * i for i in range(n))',
          "if __name__ == '__main__':",
          '    with mp.Pool(2) as pool:',
          '        pool.map(work, [2 * 10**6] * 4)',
        ].join('\n'),
      ),
    );
    expectWellFormed(r);
    expect(r.kind).toBe('cpu-bound');
    expect(r.command!.processes).toBeGreaterThanOrEqual(3);
    if (twoCoresFree(r)) {
      expect(r.parallelism).toBeGreaterThan(1.2);
      expect(r.cpuShare).toBeGreaterThan(1.1);
    }
    // Already parallel is said so, not estimated as if it were one CPU's work.
    if (r.parallelism >= 1.3) {
      expect(r.alreadyParallel).toMatchObject({ by: 'processes' });
      expect(r.evidence.join('\n')).toMatch(/already parallel/);
    } else expect(r.alreadyParallel).toBeNull();
    expect(r.turnTaking).toBeNull();
  });

  it('two threads computing: cpu-bound, no parallelism (GIL)', async () => {
    const r = await classifyCommand(
      py(
        [
          'import threading',
          'def work():',
          '    sum(i * i for i in range(6 * 10**6))',
          'ts = [threading.Thread(target=work) for _ in range(2)]',
          'for t in ts: t.start()',
          'for t in ts: t.join()',
        ].join('\n'),
      ),
    );
    expectWellFormed(r);
    expect(r.kind).toBe('cpu-bound');
    expect(r.command!.maxThreads).toBeGreaterThanOrEqual(2);
    expect(r.parallelism).toBeLessThan(1.25);
    expect(r.cpuShare).toBeLessThan(1.2);
  });
});
