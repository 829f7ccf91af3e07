import { parseOptions, UsageError } from '../io.js';

/** The parsed command line of `forkroad classify`. */
export interface ClassifyArgs {
  help: boolean;
  json: boolean;
  runs: number;
  timeout?: number;
  probe?: number;
  /** The command to measure: everything after `--`, or from the first argument that is not an option. */
  command: string[];
}

export const CLASSIFY_USAGE = `usage: forkroad classify [options] [--] <command…>

Runs the command (without a shell) and measures whether it is I/O-bound, CPU-bound or mixed:
CPU of its whole process tree against wall time, time waiting for a CPU, parallelism in use.
Linux only. Use sh -c '…' for pipes and globbing.

options:
  --runs <n>        run it n times and report the mean (default 1)
  --timeout <ms>    stop each run after this many milliseconds
  --probe <n>       also run n copies at once: measured serial fraction (Karp–Flatt)
  --json            print the report as JSON (the command's own output goes to stderr)
  -h, --help        show this help

examples:
  forkroad classify -- python3 -c "sum(i*i for i in range(10**7))"
  forkroad classify --runs 3 --json -- sleep 1
`;

const VALUE_OPTIONS = new Set(['--runs', '--timeout', '--probe']);
const FLAG_OPTIONS = new Set(['--json', '--help', '-h']);

function integer(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  throw new UsageError(`--${flag} must be an integer from ${min} to ${max} (got '${value}')`);
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
  if (!args.help && command.length === 0) {
    throw new UsageError('missing the command to measure: forkroad classify [options] -- <command…>');
  }
  return args;
}
