import { PassThrough, Writable } from 'node:stream';
import { decide } from '@forkroad/decide';
import { describe, expect, it, vi } from 'vitest';
import { parseAdviseArgs } from '../src/advise/args.js';
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
      '  3. How many tasks are in flight at once? → Hundreds to thousands (5000 tasks in flight)',
    );
    expect(stdout).toContain(
      '  4. Are the libraries you call async, or do they block? → unanswered (assumed: Async)',
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
      "forkroad advise: --tasks must be a positive integer, few or many (got '-1')\n",
    ],
    [
      ['--runtime', 'node', '--tasks', '0'],
      "forkroad advise: --tasks must be a positive integer, few or many (got '0')\n",
    ],
    [
      ['--runtime', 'node', '--tasks', '1e3'],
      "forkroad advise: --tasks must be a positive integer, few or many (got '1e3')\n",
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
  const report = {
    kind: 'cpu-bound' as const,
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
    await drive(io, io.stdout, [
      ['Which runtime?', [KEY.down, KEY.enter]],
      ['Is it already fast enough?', [KEY.down, KEY.enter]],
      ['Is the work CPU-bound, I/O-bound, or both?', [KEY.enter]],
      ['How many tasks are in flight at once?', [KEY.down, KEY.down, KEY.up, KEY.enter]],
      ['Are the libraries you call async, or do they block?', [KEY.down, KEY.enter]],
    ]);
    expect(await done).toBe(0);
    const out = plain(io.stdout.text);
    expect(out).toContain('Recommendation (Python): threads');
    expect(out).toContain('  1. Is it already fast enough? → No, it needs to be faster');
    expect(out).toContain('  3. How many tasks are in flight at once? → Hundreds to thousands');
    expect(out).toContain('  4. Are the libraries you call async, or do they block? → They block');
    expect(out).toContain('  ⇒ io-threads-bounded');
    expect(out).not.toContain('unanswered');
    expect(io.stdin.rawModes.at(-1)).toBe(false);
    expect(io.stdin.isRaw).toBe(false);
  });

  it('asks only what the flags leave out, and a skipped question stays unanswered', async () => {
    const io = fakeIO(true);
    const done = main(['advise', '--runtime', 'node', '--no-fast-enough'], io);
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

  it('with a command, asks for the runtime before measuring, then only what is still missing', async () => {
    const io = fakeIO(true);
    const classifyCommand = vi.fn(async () => ({ kind: 'mixed' as const, confidence: 0.9, cpuShare: 0.5 }));
    const done = createAdvise({ classifyCommand })(['python3', 'etl.py'], io);
    await drive(io, io.stdout, [
      ['Which runtime?', [KEY.down, KEY.enter]],
      ['Is it already fast enough?', [KEY.down, KEY.enter]],
    ]);
    expect(await done).toBe(0);
    expect(classifyCommand).toHaveBeenCalledWith(['python3', 'etl.py']);
    const out = plain(io.stdout.text);
    expect(out).not.toContain('? Is the work CPU-bound');
    expect(out).toContain('Recommendation (Python): hybrid');
  });

  it('is not interactive when the flags answer the required questions', async () => {
    const io = fakeIO(true);
    expect(await main(['advise', '--runtime', 'node', '--workload', 'io'], io)).toBe(0);
    expect(io.stdin.rawModes).toEqual([]);
    expect(io.stdout.text).toContain('Recommendation (Node.js): async');
  });
});
