// The advice for real programs, measured for real: each program in test/corpus runs under
// `forkroad advise` with the real classifier, and the test reads the recommendation and its caveats.
// Python 3 (standard library only) and Linux are needed; without them the cases are skipped, by name.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { classifyCommand, type WorkloadReport } from '@forkroad/classify';
import type { Decision } from '@forkroad/decide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdvise } from '../src/commands/advise.js';

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
const linux = process.platform === 'linux';
const program = (name: string) => fileURLToPath(new URL(`./corpus/${name}`, import.meta.url));
/** The machine had a free core while it measured: needed to see parallelism and turn-taking. */
const FREE_CORES_TO_SEE_PARALLELISM = 1.5;
/** Generous: the corpus runs real programs, on a machine that may be busy. */
const TIMEOUT = 180_000;

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** Runs `forkroad advise` on a command with the real classifier, keeping the report it measured. */
async function advise(flags: string[], command: string[]) {
  const reports: WorkloadReport[] = [];
  const run = createAdvise({
    classifyCommand: async (argv, options) => {
      const report = await classifyCommand(argv, options);
      reports.push(report);
      return report;
    },
  });
  const io = { stdout: new Sink(), stderr: new Sink(), stdin: Readable.from([]) };
  const code = await run([...flags, '--', ...command], io);
  const report = reports[0];
  if (report === undefined) throw new Error(`nothing was measured:\n${io.stderr.text}`);
  const decision =
    code === 0 && flags.includes('--json') ? (JSON.parse(io.stdout.text) as Decision) : undefined;
  return { code, stdout: io.stdout.text, stderr: io.stderr.text, report, decision };
}

/** The answers a user gives besides the measurement: it is too slow, and it runs on one machine. */
const ASKED = ['--json', '--no-fast-enough', '--beyond-one-machine=no'];

describe.skipIf(!python || !linux)(
  'corpus: real Python programs through classify and decide (python3, Linux)',
  () => {
    let server: Server;
    let port = 0;
    let closedPort = 0;

    beforeAll(async () => {
      // A local API for the async client: a short wait, then a small JSON body.
      server = createServer((req, res) => {
        setTimeout(() => res.end(JSON.stringify({ id: 1, path: req.url })), 20);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      // A port that was free a moment ago and has no listener now: the failing scraper's target.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      closedPort = (probe.address() as AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve));
    });

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
    });

    it(
      'a failing scraper stops advise: exit 1, the end of its stderr, what to fix',
      async () => {
        const failed = await advise(
          ['--runtime', 'python'],
          ['python3', program('scrape_closed_port.py'), String(closedPort)],
        );
        expect(failed.report.failure?.exitCode).toBe(1);
        expect(failed.code).toBe(1);
        expect(failed.stdout).toBe('');
        expect(failed.stderr).toContain('failed (exited with code 1)');
        expect(failed.stderr).toMatch(/\| .*Connection refused/);
        expect(failed.stderr).toContain('What to fix: a connection was refused');
        expect(failed.stderr).not.toContain('Recommendation');

        const expected = await advise(
          ['--failure-expected', ...ASKED],
          ['python3', program('scrape_closed_port.py'), String(closedPort)],
        );
        expect(expected.code).toBe(0);
        expect(expected.decision?.caveats[0]).toMatch(/^The measured run failed \(exited with code 1\)/);
      },
      TIMEOUT,
    );

    it(
      'GIL-bound threads: processes, estimated from the work; turn-taking on the GIL is not a CPU shortage',
      async (ctx) => {
        const { decision, report } = await advise(
          [...ASKED, '--no-isolation'],
          ['python3', program('gil_threads.py')],
        );
        expect(report.runtime?.name).toBe('python');
        expect(report.kind).toBe('cpu-bound');
        expect(decision?.runtime).toBe('python');
        expect(decision?.model).toBe('processes');
        // A small estimate is put down to the machine's free CPUs or to the lock, never to Amdahl.
        expect(decision?.caveats.join(' ')).not.toMatch(/Amdahl/);
        if (report.capacity.cores < FREE_CORES_TO_SEE_PARALLELISM) {
          ctx.skip(
            `turn-taking not checked: only ${report.capacity.cores.toFixed(2)} CPU was free while it measured`,
          );
        }
        expect(report.turnTaking?.cause).toBe('gil');
        expect(decision?.rationale.join(' ')).toMatch(
          /threads took turns on Python's GIL.*not a shortage of CPUs/,
        );
        // Processes are estimated from the work, so they beat the GIL-bound threads; how far depends on
        // how much of the machine was free while it measured (another test may share it).
        const python = report.speedupByRuntime!.python;
        expect(python.processes.speedup).toBeGreaterThan(1.1);
        expect(python.processes.speedup).toBeGreaterThan(python.threads.speedup * 1.1);
      },
      TIMEOUT,
    );

    it(
      'an asyncio client near the I/O-bound line: says it is not clear-cut, shows the other branch, and reads no CPU stage into it',
      async () => {
        const { decision, report } = await advise(
          [...ASKED, '--tasks', '4', '--no-blocking'],
          ['python3', program('async_client.py'), String(port)],
        );
        expect(report.computeShare).toBeGreaterThan(0.15);
        expect(report.computeShare).toBeLessThan(0.7);
        // Each task waits and computes in one piece: no pipeline without stages in the timeline.
        expect(decision?.model).not.toBe('hybrid');
        expect(decision?.model).toBe(report.computeShare < 0.5 ? 'async' : 'processes');
        expect(decision?.alternative).toMatchObject({ workload: 'mixed', model: 'hybrid' });
        expect(decision?.caveats[0]).toMatch(/not clear-cut .*What decides: Where the CPU time goes/);
      },
      TIMEOUT,
    );

    it(
      'a download-then-hash pipeline: its timeline shows the stages, so it is a pipeline (hybrid)',
      async () => {
        const { decision, report } = await advise(
          [...ASKED, '--tasks', '2', '--no-blocking'],
          ['python3', program('download_then_hash.py'), String(port)],
        );
        // Waiting stretches longer under load move the overall share, not the stages.
        expect(report.timeline?.length).toBeGreaterThan(10);
        expect(decision?.model).toBe('hybrid');
        expect(decision?.rationale.join(' ')).toMatch(/timeline shows separate stages/);
      },
      TIMEOUT,
    );

    it(
      'an already parallel program (a process pool) is told so',
      async (ctx) => {
        // Over a second of work per worker: long enough that a burst of other load while it
        // runs (the other packages' tests) does not hide the parallelism.
        const { decision, report } = await advise(
          [...ASKED, '--no-isolation'],
          ['python3', program('already_parallel.py'), '30000000'],
        );
        expect(report.kind).toBe('cpu-bound');
        expect(decision?.model).toBe('processes');
        if (report.capacity.cores < FREE_CORES_TO_SEE_PARALLELISM) {
          ctx.skip(
            `parallelism not checked: only ${report.capacity.cores.toFixed(2)} CPU was free while it measured`,
          );
        }
        // Seen parallel, it is told so, and not that the part that cannot overlap dominates.
        expect(decision?.caveats.join(' ')).not.toMatch(/Amdahl/);
        expect(report.alreadyParallel?.by).toBe('processes');
        expect(decision?.caveats.join(' ')).toMatch(/already parallel: it kept [\d.]+ CPUs busy/);
      },
      TIMEOUT,
    );

    it(
      'one task at a time (--tasks 1) needs no concurrency',
      async () => {
        const { decision, report } = await advise(
          [...ASKED, '--tasks', '1'],
          ['python3', program('one_task.py')],
        );
        expect(report.kind).toBe('io-bound');
        expect(decision).toMatchObject({ outcome: 'none', model: 'none' });
        expect(decision?.rationale.join(' ')).toMatch(
          /One task in flight at a time: there is nothing to overlap/,
        );
      },
      TIMEOUT,
    );
  },
);
