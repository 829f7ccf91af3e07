import { PassThrough, Writable } from 'node:stream';
import { decide, type WorkloadReportLike } from '@forkroad/decide';
import { describe, expect, it, vi } from 'vitest';
import { parseAdviseArgs } from '../src/advise/args.js';
import { runtimeOfCommand } from '../src/advise/runtime.js';
import { createAdvise } from '../src/commands/advise.js';
import type { CliIO } from '../src/io.js';
import { main } from '../src/main.js';

/** A writable that keeps what it was given, optionally posing as a terminal. */
class FakeOutput extends Writable {
  text = '';
  isTTY: boolean;
  columns = 100;
  private waiters: { needle: string; from: number; resolve: () => void }[] = [];

  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    this.waiters = this.waiters.filter((w) => {
      if (!this.text.includes(w.needle, w.from)) return true;
      w.resolve();
      return false;
    });
    callback();
  }

  /** Resolves once `needle` has been written (after what was written so far). */
  waitFor(needle: string, from = 0): Promise<void> {
    if (this.text.includes(needle, from)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ needle, from, resolve }));
  }
}

/** A readable that poses as a terminal in raw mode: write keypress bytes into it. */
class FakeTTYInput extends PassThrough {
  isTTY: boolean;
  isRaw = false;
  rawModes: boolean[] = [];

  constructor(isTTY = true) {
    super();
    this.isTTY = isTTY;
  }

  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    this.rawModes.push(mode);
    return this;
  }
}

function fakeIO(tty = false): CliIO & { stdout: FakeOutput; stderr: FakeOutput; stdin: FakeTTYInput } {
  return { stdout: new FakeOutput(tty), stderr: new FakeOutput(tty), stdin: new FakeTTYInput(tty) };
}

const KEY = { up: '\x1b[A', down: '\x1b[B', enter: '\r', ctrlC: '\x03' } as const;

/** Strips ANSI escape sequences. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
const plain = (text: string): string => text.replace(ANSI, '');

async function run(argv: string[], io = fakeIO()) {
  const code = await main(['advise', ...argv], io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('forkroad advise with flags', () => {
  it('prints the model, tool, snippet, path, rationale and caveats', async () => {
    const { code, stdout, stderr } = await run([
      '--runtime',
      'python',
      '--workload',
      'io',
      '--tasks',
      '5000',
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Recommendation (Python): async');
    expect(stdout).toContain('Tool: asyncio  (pip install aiohttp)');
    expect(stdout).toContain('        connector = aiohttp.TCPConnector(limit=5000)');
    expect(stdout).toContain(
      '  4. How many tasks are in flight at once? → 1,000 or more (5000 tasks in flight)',
    );
    expect(stdout).toContain(
      '  5. Are the libraries you call async, or do they block? → unanswered (assumed: Async)',
    );
    expect(stdout).toContain('  ⇒ io-async');
    expect(stdout).toMatch(/\nWhy:\n {2}- /);
    expect(stdout).toMatch(/\nCaveats:\n {2}- You did not say/);
    expect(plain(stdout)).toBe(stdout);
  });

  it('--json prints the Decision', async () => {
    const { code, stdout } = await run(['--runtime', 'node', '--workload', 'cpu', '--json']);
    expect(code).toBe(0);
    const decision = JSON.parse(stdout);
    expect(decision).toEqual(decide({ runtime: 'node', workload: 'cpu' }));
    expect(decision).toMatchObject({ model: 'threads', tool: { name: '@forkroad/threads' } });
  });

  it('passes every flag to decide', async () => {
    const argv = [
      '--runtime=node',
      '--workload=io',
      '--tasks=20',
      '--blocking',
      '--no-fast-enough',
      '--json',
    ];
    const { stdout } = await run(argv);
    const expected = decide({
      runtime: 'node',
      workload: 'io',
      tasksInFlight: 20,
      blockingLibraries: true,
      fastEnough: false,
    });
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(expected.model).toBe('threads');
  });

  it('is not interactive without a terminal: a missing workload is unanswered, and means "measure first"', async () => {
    const { code, stdout } = await run(['--runtime', 'node', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'measure', model: 'none' });
  });

  it('--help prints the options', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: forkroad advise [options] [--] [command…]');
    expect(stdout).toContain('--runtime <node|python>');
    expect(stdout).toContain('--beyond-one-machine[=yes|no]');
    expect(stdout).toContain('--failure-expected');
  });

  it('--help wraps to the terminal', async () => {
    const io = fakeIO();
    io.stdout.columns = 64;
    await run(['--help'], io);
    const lines = io.stdout.text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(64);
    // Descriptions wrap in their own column, several words to a line.
    expect(io.stdout.text).toContain(
      `  --runtime <node|python>            the runtime to advise for\n${' '.repeat(37)}(without a terminal:\n`,
    );
  });

  it('--tasks 1: one task in flight needs no concurrency', async () => {
    const { stdout } = await run(['--runtime', 'python', '--workload', 'io', '--tasks', '1', '--json']);
    const decision = JSON.parse(stdout);
    expect(decision).toMatchObject({ outcome: 'none', model: 'none' });
    expect(decision.rationale.join(' ')).toMatch(/nothing to overlap/);
  });

  it('--beyond-one-machine: a job queue (Celery for Python, @forkroad/distributed for Node.js)', async () => {
    const python = JSON.parse((await run(['--runtime', 'python', '--beyond-one-machine', '--json'])).stdout);
    expect(python).toMatchObject({ outcome: 'distributed', model: 'distributed', tool: { name: 'Celery' } });
    expect(python.caveats.join(' ')).toMatch(/at least once.*idempotent/);
    const node = JSON.parse((await run(['--runtime', 'node', '--beyond-one-machine=yes', '--json'])).stdout);
    expect(node).toMatchObject({ model: 'distributed', tool: { name: '@forkroad/distributed' } });
  });

  it('--server: CPU work in a web app gets several server workers, not a pool per request', async () => {
    const { stdout } = await run(['--runtime', 'python', '--workload', 'cpu', '--server']);
    expect(stdout).toContain('Tool: gunicorn  (pip install gunicorn)');
    expect(stdout).toContain('gunicorn --workers 4');
    expect(stdout).not.toContain('ProcessPoolExecutor(');
  });
});

describe('forkroad advise: invalid input exits 2 with one line naming the allowed values', () => {
  it.each([
    [['--runtime', 'ruby'], "forkroad advise: --runtime must be one of node, python (got 'ruby')\n"],
    [
      ['--runtime', 'node', '--workload', 'disk'],
      "forkroad advise: --workload must be one of cpu, io, mixed, unknown (got 'disk')\n",
    ],
    [
      ['--runtime', 'node', '--tasks', '-1'],
      "forkroad advise: --tasks must be a positive integer, one, few or many (got '-1')\n",
    ],
    [
      ['--runtime', 'node', '--tasks', '0'],
      "forkroad advise: --tasks must be a positive integer, one, few or many (got '0')\n",
    ],
    [
      ['--runtime', 'node', '--tasks', '1e3'],
      "forkroad advise: --tasks must be a positive integer, one, few or many (got '1e3')\n",
    ],
    [
      ['--runtime', 'node', '--blocking=maybe'],
      "forkroad advise: --blocking must be one of yes, true, no, false (got 'maybe')\n",
    ],
    [['--runtime'], 'forkroad advise: --runtime needs a value\n'],
    [
      ['--runtime', 'node', '--colour'],
      "forkroad advise: unknown option '--colour' (see 'forkroad advise --help')\n",
    ],
    [
      ['--workload', 'io'],
      'forkroad advise: missing --runtime: one of node, python (or run it in a terminal to be asked)\n',
    ],
    [
      ['--runtime', 'node', '--workload', 'io', '--', 'node', 'app.js'],
      'forkroad advise: give either --workload or a command to classify, not both\n',
    ],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });
});

describe('parseAdviseArgs', () => {
  it('reads booleans as --flag, --flag=value, --flag value and --no-flag', () => {
    expect(parseAdviseArgs(['--blocking', '--isolation=no', '--fast-enough', 'false'])).toMatchObject({
      blockingLibraries: true,
      isolation: false,
      fastEnough: false,
      command: [],
    });
    expect(parseAdviseArgs(['--no-blocking', '--no-isolation'])).toMatchObject({
      blockingLibraries: false,
      isolation: false,
    });
  });

  it('takes the command with or without --, and leaves its own options alone', () => {
    expect(parseAdviseArgs(['--runtime', 'python', '--', 'python3', 'app.py', '--json']).command).toEqual([
      'python3',
      'app.py',
      '--json',
    ]);
    const bare = parseAdviseArgs(['--runtime', 'python', '--blocking', 'python3', 'app.py', '--json']);
    expect(bare).toMatchObject({
      blockingLibraries: true,
      json: false,
      command: ['python3', 'app.py', '--json'],
    });
  });

  it('accepts few and many for --tasks', () => {
    expect(parseAdviseArgs(['--tasks', 'many']).tasksInFlight).toBe('many');
    expect(parseAdviseArgs(['--tasks=12']).tasksInFlight).toBe(12);
  });
});

describe('forkroad advise -- <command…>', () => {
  const report: WorkloadReportLike = {
    kind: 'cpu-bound',
    wallMs: 2000,
    cpuMs: 1990,
    cpuShare: 0.995,
    parallelism: 1,
    confidence: 0.4,
    evidence: ['user+system CPU 1990 ms over 2000 ms wall'],
    speedup: {
      async: { speedup: 1, workers: 8, serialFraction: 1, method: 'amdahl', limitedBy: 'serial-fraction' },
      threads: {
        speedup: 7.6,
        workers: 8,
        serialFraction: 0.01,
        method: 'amdahl',
        limitedBy: 'cpu-capacity',
      },
      processes: {
        speedup: 7.4,
        workers: 8,
        serialFraction: 0.01,
        method: 'amdahl',
        limitedBy: 'cpu-capacity',
      },
    },
  };

  it.each([
    ['after --', ['--runtime', 'python', '--', 'python3', 'crunch.py', '-n', '5']],
    ['without --', ['--runtime', 'python', 'python3', 'crunch.py', '-n', '5']],
  ])('classifies the command first (%s) and uses the report as the workload', async (_, argv) => {
    const classifyCommand = vi.fn(async () => report);
    const io = fakeIO();
    const code = await createAdvise({ classifyCommand })(argv, io);
    expect(code).toBe(0);
    expect(classifyCommand).toHaveBeenCalledWith(['python3', 'crunch.py', '-n', '5']);
    expect(io.stderr.text).toContain('measuring python3 crunch.py -n 5');
    const flat = io.stdout.text.replace(/\s+/g, ' ');
    expect(flat).toContain('Recommendation (Python): processes');
    expect(flat).toContain(
      '→ CPU-bound: mostly computing (measured: cpu-bound, CPU ÷ wall 1.00, confidence 0.40)',
    );
    expect(flat).toContain('7.40× with processes (8 workers; limited by cpu-capacity)');
    expect(flat).toContain("The classifier's confidence is low (0.40)");
  });

  it('--json prints the decision made from the report', async () => {
    const io = fakeIO();
    const code = await createAdvise({ classifyCommand: async () => report })(
      ['--runtime', 'node', '--json', '--', 'node', 'crunch.js'],
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.text)).toEqual(decide({ runtime: 'node', workload: report }));
  });
});

describe('forkroad advise: a failed run is not a workload', () => {
  const failed: WorkloadReportLike = {
    kind: 'cpu-bound',
    confidence: 0.88,
    cpuShare: 0.9,
    command: { argv: ['python3', 'scrape.py'], exitCode: 1, signal: null, timedOut: false },
    failure: {
      exitCode: 1,
      signal: null,
      timedOut: false,
      message: 'exited with code 1',
      stderrTail: [
        'Traceback (most recent call last):',
        ...Array.from({ length: 30 }, (_, i) => `  frame ${i}`),
        'requests.exceptions.ConnectionError: [Errno 111] Connection refused',
      ].join('\n'),
    },
  };
  const classifyCommand = async () => failed;

  it('stops with exit 1, the end of stderr and what to fix', async () => {
    const io = fakeIO();
    const code = await createAdvise({ classifyCommand })(['--', 'python3', 'scrape.py'], io);
    expect(code).toBe(1);
    expect(io.stdout.text).toBe('');
    const err = io.stderr.text;
    expect(err).toContain('the measured run of python3 scrape.py failed (exited with code 1).');
    expect(err).toContain('last 15 lines of stderr:');
    expect(err).toContain('  | requests.exceptions.ConnectionError: [Errno 111] Connection refused');
    expect(err).not.toContain('frame 5\n');
    expect(err).toMatch(/What to fix: a connection was refused: start the server/);
    expect(err).toContain('--failure-expected');
  });

  it('advises anyway with --failure-expected, the failure first among the caveats', async () => {
    const io = fakeIO();
    const code = await createAdvise({ classifyCommand })(
      ['--failure-expected', '--json', 'python3', 'scrape.py'],
      io,
    );
    expect(code).toBe(0);
    const decision = JSON.parse(io.stdout.text);
    expect(decision.runtime).toBe('python');
    expect(decision.caveats[0]).toMatch(/^The measured run failed \(exited with code 1\)/);
  });
});

describe('forkroad advise: a measurement that is not clear-cut', () => {
  it('prints the other branch and what decides between them', async () => {
    const nearLine: WorkloadReportLike = {
      kind: 'mixed',
      confidence: 0.6,
      cpuShare: 0.32,
      computeShare: 0.32,
    };
    const io = fakeIO();
    const argv = [
      '--no-fast-enough',
      '--beyond-one-machine=no',
      '--tasks',
      '20',
      '--no-blocking',
      'python3',
      'client.py',
    ];
    expect(await createAdvise({ classifyCommand: async () => nearLine })(argv, io)).toBe(0);
    const flat = io.stdout.text.replace(/\s+/g, ' ');
    expect(flat).toContain('Recommendation (Python): async');
    expect(flat).toContain('Not clear-cut — the other branch: hybrid');
    expect(flat).toMatch(/What decides: Where the CPU time goes \(it computes 32% of its time\)/);
  });
});

describe('forkroad advise: the runtime of a measured command', () => {
  const measured = (name?: 'python' | 'other'): WorkloadReportLike => ({
    kind: 'cpu-bound',
    confidence: 0.9,
    cpuShare: 0.97,
    ...(name ? { runtime: { name, gil: name === 'python', executable: null } } : {}),
  });

  it('without a terminal, takes the runtime the classifier recognised', async () => {
    const io = fakeIO();
    const code = await createAdvise({ classifyCommand: async () => measured('python') })(
      ['--json', './crunch'],
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.text)).toMatchObject({ runtime: 'python', model: 'processes' });
  });

  it('without a terminal, still needs --runtime when neither the command nor the measurement tells', async () => {
    const advise = createAdvise({ classifyCommand: async () => measured('other') });
    await expect(advise(['--json', './crunch'], fakeIO())).rejects.toThrow(
      'missing --runtime: one of node, python (or run it in a terminal to be asked)',
    );
  });
});

describe('runtimeOfCommand', () => {
  it.each([
    [['python3', 'app.py'], 'python'],
    [['/usr/bin/python3.11', '-m', 'app'], 'python'],
    [['uv', 'run', 'python', 'app.py'], 'python'],
    [['./scrape.py'], 'python'],
    [['node', 'app.js'], 'node'],
    [['env', 'X=1', 'node', 'app.js'], 'node'],
    [['npx', 'tsx', 'app.ts'], 'node'],
    [['./crunch'], undefined],
    [['make', 'app.py'], undefined],
    [[], undefined],
  ])('%j → %s', (argv, runtime) => {
    expect(runtimeOfCommand(argv)).toBe(runtime);
  });
});

describe('forkroad advise in a terminal', () => {
  /** Answers each prompt, in order, once its question is on screen. */
  async function drive(io: ReturnType<typeof fakeIO>, screen: FakeOutput, steps: [string, string[]][]) {
    for (const [question, keys] of steps) {
      await screen.waitFor(question);
      for (const key of keys) io.stdin.write(key);
    }
  }

  it('walks the flowchart with arrow keys and prints the recommendation', async () => {
    const io = fakeIO(true);
    const done = main(['advise'], io);
    // The cursor starts on the answer decide would assume: "No" for fast enough and one machine,
    // "2 to 999" tasks, and — for Python — libraries that block.
    await drive(io, io.stdout, [
      ['Which runtime?', [KEY.down, KEY.enter]],
      ['Is it already fast enough?', [KEY.enter]],
      ['Does the work outgrow one machine', [KEY.enter]],
      ['Is the work CPU-bound, I/O-bound, or both?', ['1', KEY.enter]],
      ['How many tasks are in flight at once?', [KEY.down, KEY.down, KEY.up, KEY.up, KEY.enter]],
      ['Are the libraries you call async, or do they block?', [KEY.enter]],
    ]);
    expect(await done).toBe(0);
    const out = plain(io.stdout.text);
    expect(out).toContain('Most Python libraries block: requests');
    expect(out).toContain('Recommendation (Python): threads');
    expect(out).toContain('  1. Is it already fast enough? → No, it needs to be faster');
    expect(out).toContain('  4. How many tasks are in flight at once? → 2 to 999');
    expect(out).toContain('  5. Are the libraries you call async, or do they block? → They block');
    expect(out).toContain('  ⇒ io-threads');
    expect(out).not.toContain('unanswered');
    expect(io.stdin.rawModes.at(-1)).toBe(false);
    expect(io.stdin.isRaw).toBe(false);
  });

  it('asks only what the flags leave out, and a skipped question stays unanswered', async () => {
    const io = fakeIO(true);
    const done = main(['advise', '--runtime', 'node', '--no-fast-enough', '--beyond-one-machine=no'], io);
    await drive(io, io.stdout, [
      ['Is the work CPU-bound, I/O-bound, or both?', ['2', KEY.enter]],
      ['Does the CPU work need isolation', ['3', KEY.enter]],
    ]);
    expect(await done).toBe(0);
    const out = plain(io.stdout.text);
    expect(out).not.toContain('Which runtime?');
    expect(out).not.toContain('? Is it already fast enough?');
    expect(out).toContain('Recommendation (Node.js): threads');
    expect(out).toContain('→ unanswered (assumed: No)');
    expect(out).toContain('You did not say whether the work needs isolation');
  });

  it('with --json, prompts on stderr and prints only the decision on stdout', async () => {
    const io = fakeIO(true);
    const done = main(['advise', '--runtime', 'python', '--json'], io);
    await drive(io, io.stderr, [['Is it already fast enough?', ['1', KEY.enter]]]);
    expect(await done).toBe(0);
    expect(JSON.parse(io.stdout.text)).toMatchObject({ outcome: 'none', model: 'none' });
  });

  it('Ctrl-C leaves with exit code 130 and restores the terminal', async () => {
    const io = fakeIO(true);
    const done = main(['advise'], io);
    await drive(io, io.stdout, [['Which runtime?', [KEY.ctrlC]]]);
    expect(await done).toBe(130);
    expect(io.stdin.isRaw).toBe(false);
    expect(io.stdout.text).toContain('\x1b[?25h');
  });

  it('with a command, asks for the runtime before measuring, shows the measurement, then asks only what is still missing', async () => {
    const io = fakeIO(true);
    const classifyCommand = vi.fn(
      async (): Promise<WorkloadReportLike> => ({
        kind: 'cpu-bound',
        confidence: 0.9,
        cpuShare: 0.97,
        wallMs: 2500,
      }),
    );
    const done = createAdvise({ classifyCommand })(['./crunch'], io);
    await drive(io, io.stdout, [
      ['Which runtime?', [KEY.down, KEY.enter]],
      ['Is it already fast enough?', [KEY.enter]],
      ['Does the work outgrow one machine', [KEY.enter]],
      ['Does the CPU work need isolation', [KEY.enter]],
    ]);
    expect(await done).toBe(0);
    expect(classifyCommand).toHaveBeenCalledWith(['./crunch']);
    const out = plain(io.stdout.text);
    expect(out).not.toContain('? Is the work CPU-bound');
    expect(out.indexOf('Measured: cpu-bound, took 2.50 s, CPU ÷ wall 0.97, confidence 0.90')).toBeLessThan(
      out.indexOf('Is it already fast enough?'),
    );
    expect(out).toContain('Recommendation (Python): processes');
  });

  it('asks which reading fits when the measurement is not clear-cut', async () => {
    const io = fakeIO(true);
    const nearLine = async (): Promise<WorkloadReportLike> => ({
      kind: 'mixed',
      confidence: 0.6,
      cpuShare: 0.32,
      computeShare: 0.32,
    });
    const argv = [
      '--no-fast-enough',
      '--beyond-one-machine=no',
      '--tasks=20',
      '--no-blocking',
      'python3',
      'etl.py',
    ];
    const done = createAdvise({ classifyCommand: nearLine })(argv, io);
    await drive(io, io.stdout, [
      ['The measurement is not clear-cut. Which fits the program?', ['2', KEY.enter]],
    ]);
    expect(await done).toBe(0);
    const out = plain(io.stdout.text);
    expect(out).toContain('I/O-bound: each task mostly waits (as measured → async)');
    expect(out).toContain('Where the CPU time goes');
    expect(out).toContain('Recommendation (Python): hybrid');
  });

  it('a Python command is advised for Python without asking', async () => {
    const io = fakeIO(true);
    const classifyCommand = async (): Promise<WorkloadReportLike> => ({
      kind: 'io-bound',
      confidence: 0.9,
      cpuShare: 0.05,
    });
    const done = createAdvise({ classifyCommand })(['python3', 'scrape.py'], io);
    await drive(io, io.stdout, [
      ['Is it already fast enough?', [KEY.enter]],
      ['Does the work outgrow one machine', [KEY.enter]],
      ['How many tasks are in flight at once?', [KEY.enter]],
      ['Are the libraries you call async, or do they block?', [KEY.enter]],
    ]);
    expect(await done).toBe(0);
    const out = plain(io.stdout.text);
    expect(out).not.toContain('Which runtime?');
    expect(io.stderr.text).toContain('(runtime: python, from the command)');
    expect(out).toContain('Recommendation (Python): threads');
  });

  it('is not interactive when the flags answer the required questions', async () => {
    const io = fakeIO(true);
    expect(await main(['advise', '--runtime', 'node', '--workload', 'io'], io)).toBe(0);
    expect(io.stdin.rawModes).toEqual([]);
    expect(io.stdout.text).toContain('Recommendation (Node.js): async');
  });
});
