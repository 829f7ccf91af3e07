import { parseOptions, UsageError } from '../io.js';

/** The parsed command line of `forkroad classify`. */
export interface ClassifyArgs {
  help: boolean;
  json: boolean;
  runs: number;
  timeout?: number;
  probe?: number;
  /** Sample this running process instead of running a command. */
  pid?: number;
  /** How long to sample `pid`, in milliseconds (default 10 s). */
  durationMs?: number;
  /** Write a self-contained HTML report to this file. */
  report?: string;
  /** The command to measure: everything after `--`, or from the first argument that is not an option. Empty with `pid`. */
  command: string[];
}

export const CLASSIFY_USAGE = `usage: forkroad classify [options] [--] <command…>
       forkroad classify --pid <pid> [--duration 10s] [options]

Runs the command (without a shell), or samples a running process, and measures whether it is
I/O-bound, CPU-bound or mixed: CPU of its whole process tree against wall time, time waiting
for a CPU, CPU by kind of thread, threads taking turns (GIL), parallelism in use. The label is
the steady state's; start-up is reported apart. Linux only. Use sh -c '…' for pipes and globbing.

options:
  --runs <n>          run it n times and report the mean (default 1)
  --timeout <ms>      stop each run after this many milliseconds
  --probe <n>         also run n copies at once: measured serial fraction (Karp–Flatt)
  --pid <pid>         sample this running process (and its children) instead; reads /proc only
  --duration <time>   how long to sample --pid: 10s (default), 1500ms, 2m
  --report <file>     also write a self-contained HTML report (timeline, evidence, estimates)
  --json              print the report as JSON (the command's own output goes to stderr)
  -h, --help          show this help

examples:
  forkroad classify -- python3 -c "sum(i*i for i in range(10**7))"
  forkroad classify --runs 3 --json -- sleep 1
  forkroad classify --pid 4242 --duration 30s --report server.html
`;

const VALUE_OPTIONS = new Set(['--runs', '--timeout', '--probe', '--pid', '--duration', '--report']);
const FLAG_OPTIONS = new Set(['--json', '--help', '-h']);

function integer(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  throw new UsageError(`--${flag} must be an integer from ${min} to ${max} (got '${value}')`);
}

/** `10s`, `1500ms`, `2m`, or a bare number of seconds → milliseconds (100 ms to 24 h). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000) : Number.NaN;
  if (Number.isFinite(ms) && ms >= 100 && ms <= 86_400_000) return Math.round(ms);
  throw new UsageError(
    `--duration must be a time from 100ms to 24h such as 10s, 1500ms or 2m (got '${text}')`,
  );
}

/** Splits the options of classify from the command, which may have options of its own. */
function split(argv: readonly string[]): { options: string[]; command: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return { options: argv.slice(0, i), command: argv.slice(i + 1) };
    const name = token.split('=')[0]!;
    if (VALUE_OPTIONS.has(name)) {
      if (!token.includes('=')) i++;
    } else if (!FLAG_OPTIONS.has(token) && !token.startsWith('-')) {
      return { options: argv.slice(0, i), command: argv.slice(i) };
    }
    // Anything else starting with '-' is left for parseArgs to reject.
  }
  return { options: [...argv], command: [] };
}

/** Parses the arguments after `classify`. @throws UsageError */
export function parseClassifyArgs(argv: readonly string[]): ClassifyArgs {
  const { options, command } = split(argv);
  const values = parseOptions(options, {
    runs: { type: 'string' },
    timeout: { type: 'string' },
    probe: { type: 'string' },
    pid: { type: 'string' },
    duration: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const args: ClassifyArgs = {
    help: values.help === true,
    json: values.json === true,
    runs: typeof values.runs === 'string' ? integer('runs', values.runs, 1, 1000) : 1,
    command,
  };
  if (typeof values.timeout === 'string') args.timeout = integer('timeout', values.timeout, 1, 2 ** 31 - 1);
  if (typeof values.probe === 'string') args.probe = integer('probe', values.probe, 2, 256);
  if (typeof values.pid === 'string') args.pid = integer('pid', values.pid, 1, 2 ** 31 - 1);
  if (typeof values.duration === 'string') {
    if (args.pid === undefined) throw new UsageError('--duration goes with --pid');
    args.durationMs = parseDuration(values.duration);
  }
  if (typeof values.report === 'string') {
    if (values.report === '') throw new UsageError('--report needs a file name');
    args.report = values.report;
  }
  if (args.pid !== undefined && command.length > 0) {
    throw new UsageError('give either --pid or a command to run, not both');
  }
  if (args.pid !== undefined && (args.runs !== 1 || args.timeout !== undefined || args.probe !== undefined)) {
    throw new UsageError('--runs, --timeout and --probe run a command: they do not go with --pid');
  }
  if (!args.help && args.pid === undefined && command.length === 0) {
    throw new UsageError(
      'missing the command to measure: forkroad classify [options] -- <command…> (or --pid <pid>)',
    );
  }
  return args;
}
