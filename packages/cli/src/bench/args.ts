import { BACKENDS, type Backend, type BenchMode, SELECTIONS, type SuiteSelection } from '@forkroad/bench';
import { parseOptions, UsageError } from '../io.js';

/** The parsed command line of `forkroad bench`. */
export interface BenchArgs {
  help: boolean;
  mode: BenchMode;
  /** Empty: everything. */
  suites: SuiteSelection[];
  /** Where to write the results JSON; undefined: the default file. */
  out?: string;
  /** Only these backends' rows (and the sequential rows they are compared with); absent: all. */
  backends?: Backend[];
  /** Another Node.js binary to run the suites under; absent: this one. */
  node?: string;
}

/** Where the results go without --out, relative to the working directory. */
export const DEFAULT_OUT = 'forkroad-bench.json';

export const BENCH_USAGE = `usage: forkroad bench [--quick | --smoke] [--suite <name>]… [--backend <name>]… [--node <path>] [--out <file>]

Runs @forkroad/bench: the concurrency guide's experiments on forkroad's backends, with Python's
numbers beside Node's where python3 is found. Prints a table per experiment and writes the
results as JSON (validated against @forkroad/bench/results/schema.json).

options:
  --quick            fewer, shorter runs: under 2 minutes on 2 cores (default: the full suites, 5–7)
  --smoke            tiny sizes, seconds: checks that everything runs, measures nothing useful
  --suite <name>     ${SELECTIONS.join(', ')}; repeat or separate with commas (default: all).
                     python adds Python's rows to io, cpu and memory; python alone runs only those
  --backend <name>   ${BACKENDS.join(', ')}; repeat or separate with commas (default: all).
                     Only that backend's rows, its peers and the sequential rows they are compared with
  --node <path>      run the suites under another Node.js binary (e.g. Node 24's bin/node); the
                     results record its version in machine.node
  --out <file>       where to write the JSON (default: ./${DEFAULT_OUT})
  -h, --help         show this help

Progress goes to stderr (a bar per suite in a terminal), the tables to stdout.

examples:
  forkroad bench --quick
  forkroad bench --suite io --suite python --out io.json
  forkroad bench --suite overhead --backend threads
  forkroad bench --quick --node /path/to/node24/bin/node --out node24.json
`;

/** Parses the arguments after `bench`. @throws UsageError naming the allowed values. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const values = parseOptions(argv, {
    quick: { type: 'boolean' },
    smoke: { type: 'boolean' },
    suite: { type: 'string', multiple: true },
    backend: { type: 'string', multiple: true },
    node: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.quick && values.smoke) throw new UsageError('--quick and --smoke are exclusive: pick one mode');
  const suites: SuiteSelection[] = [];
  for (const name of (values.suite ?? []).flatMap((s) => s.split(',')).map((s) => s.trim())) {
    if (!(SELECTIONS as readonly string[]).includes(name)) {
      throw new UsageError(`--suite must be one of ${SELECTIONS.join(', ')} (got '${name}')`);
    }
    if (!suites.includes(name as SuiteSelection)) suites.push(name as SuiteSelection);
  }
  const backends: Backend[] = [];
  for (const name of (values.backend ?? []).flatMap((s) => s.split(',')).map((s) => s.trim())) {
    if (!(BACKENDS as readonly string[]).includes(name)) {
      throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} (got '${name}')`);
    }
    if (!backends.includes(name as Backend)) backends.push(name as Backend);
  }
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a file name');
  if (values.node !== undefined && values.node.trim() === '')
    throw new UsageError('--node needs the path of a node binary');
  const args: BenchArgs = {
    help: values.help === true,
    mode: values.smoke ? 'smoke' : values.quick ? 'quick' : 'full',
    suites,
  };
  if (values.out !== undefined) args.out = values.out;
  if (backends.length > 0) args.backends = backends;
  if (values.node !== undefined) args.node = values.node;
  return args;
}

/** `argv` without `--node <path>` / `--node=<path>`: what the run under that Node is given. */
export function withoutNode(argv: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--node') i++;
    else if (!argv[i]!.startsWith('--node=')) rest.push(argv[i]!);
  }
  return rest;
}
