import {
  MANY_TASKS_IN_FLIGHT,
  RUNTIMES,
  type Runtime,
  type TasksInFlight,
  WORKLOADS,
  type WorkloadAnswer,
} from '@forkroad/decide';
import { UsageError } from '../io.js';
import { wrap } from './render.js';

/** The parsed command line of `forkroad advise`. */
export interface AdviseArgs {
  help: boolean;
  json: boolean;
  runtime?: Runtime;
  workload?: WorkloadAnswer;
  tasksInFlight?: TasksInFlight;
  blockingLibraries?: boolean;
  isolation?: boolean;
  fastEnough?: boolean;
  beyondOneMachine?: boolean;
  server?: boolean;
  /** Advise on a measured command even though its run failed (exit status, signal, timeout). */
  failureExpected: boolean;
  /** The command to classify first, when one is given (after `--`, or from the first non-option). */
  command: string[];
}

const OPTIONS: [string, string][] = [
  [
    `--runtime <${RUNTIMES.join('|')}>`,
    'the runtime to advise for (without a terminal: required, unless the command shows it, e.g. python3 …)',
  ],
  [`--workload <${WORKLOADS.join('|')}>`, 'what the work does (unknown: measure it first)'],
  [
    '--tasks <n|one|few|many>',
    `tasks in flight at once (1 is "one": nothing to overlap; ${MANY_TASKS_IN_FLIGHT} or more is "many")`,
  ],
  ['--blocking[=yes|no]', 'the libraries you call block (--no-blocking: they are async)'],
  ['--isolation[=yes|no]', 'the CPU work needs isolation (crash-prone native code, memory limits)'],
  ['--fast-enough[=yes|no]', 'it is already fast enough'],
  [
    '--beyond-one-machine[=yes|no]',
    'the work outgrows one machine or must outlive the caller (background jobs): a job queue',
  ],
  [
    '--server[=yes|no]',
    'the program is a server answering requests: several server workers, not a pool per request',
  ],
  [
    '--failure-expected',
    'advise on a measured command even if its run fails (by default a failed run stops advise)',
  ],
  ['--json', 'print the decision as JSON'],
  ['-h, --help', 'show this help'],
];

/** The help text, wrapped to `columns` (the option descriptions wrap in their own column). */
export function adviseUsage(columns = 80): string {
  const width = Math.max(60, Math.min(columns > 0 ? columns : 80, 100));
  const text = (t: string) => wrap(t, width, '');
  const left = Math.max(...OPTIONS.map(([flag]) => flag.length)) + 4;
  const option = ([flag, what]: [string, string]) =>
    wrap(what, width - left, '')
      .split('\n')
      .map((line, i) => (i === 0 ? `  ${flag.padEnd(left - 2)}` : ' '.repeat(left)) + line)
      .join('\n');
  return [
    'usage: forkroad advise [options] [--] [command…]',
    '',
    text('Walks the decision flowchart and recommends a concurrency model, a tool and a snippet.'),
    text('In a terminal, asks for what the options leave out (arrow keys or 1–9, Enter).'),
    text(
      'With a command, measures it first (forkroad classify) and uses the report as the workload; a run that fails stops advise, with the end of its stderr.',
    ),
    '',
    'options:',
    ...OPTIONS.map(option),
    '',
    'examples:',
    '  forkroad advise --runtime python --workload io --tasks 5000',
    '  forkroad advise --runtime node --workload cpu --json',
    '  forkroad advise -- python3 scrape.py',
    '  forkroad advise --runtime python --beyond-one-machine',
    '',
  ].join('\n');
}

/** The help text at 80 columns. */
export const ADVISE_USAGE = adviseUsage();

const BOOLEAN_FLAGS = {
  blocking: 'blockingLibraries',
  isolation: 'isolation',
  'fast-enough': 'fastEnough',
  'beyond-one-machine': 'beyondOneMachine',
  server: 'server',
} as const;
const TRUE = ['yes', 'true'];
const FALSE = ['no', 'false'];

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function parseTasks(value: string): TasksInFlight {
  if (value === 'one' || value === 'few' || value === 'many') return value;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= 1) return n;
  throw new UsageError(`--tasks must be a positive integer, one, few or many (got '${value}')`);
}

function parseBoolean(flag: string, value: string): boolean {
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new UsageError(`--${flag} must be one of ${[...TRUE, ...FALSE].join(', ')} (got '${value}')`);
}

/** Parses the arguments after `advise`. @throws UsageError naming the allowed values. */
export function parseAdviseArgs(argv: readonly string[]): AdviseArgs {
  const args: AdviseArgs = { help: false, json: false, failureExpected: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      args.command = argv.slice(i + 1);
      break;
    }
    if (token === '-h' || token === '--help') {
      args.help = true;
      continue;
    }
    if (!token.startsWith('-') || token === '-') {
      // The command to classify, given without `--`: everything from here on is its own.
      args.command = argv.slice(i);
      break;
    }
    const eq = token.indexOf('=');
    const name = token.startsWith('--') ? token.slice(2, eq === -1 ? undefined : eq) : token.slice(1);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next === '--') throw new UsageError(`--${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case 'json':
      case 'failure-expected':
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        if (name === 'json') args.json = true;
        else args.failureExpected = true;
        break;
      case 'runtime':
        args.runtime = oneOf('runtime', takeValue(), RUNTIMES);
        break;
      case 'workload':
        args.workload = oneOf('workload', takeValue(), WORKLOADS);
        break;
      case 'tasks':
        args.tasksInFlight = parseTasks(takeValue());
        break;
      default: {
        if (name in BOOLEAN_FLAGS) {
          const flag = name as keyof typeof BOOLEAN_FLAGS;
          let value = true;
          if (inline !== undefined) value = parseBoolean(flag, inline);
          else if ([...TRUE, ...FALSE].includes(argv[i + 1] ?? '')) value = parseBoolean(flag, argv[++i]!);
          args[BOOLEAN_FLAGS[flag]] = value;
          break;
        }
        const negated = name.startsWith('no-') ? name.slice(3) : undefined;
        if (negated !== undefined && negated in BOOLEAN_FLAGS && inline === undefined) {
          args[BOOLEAN_FLAGS[negated as keyof typeof BOOLEAN_FLAGS]] = false;
          break;
        }
        throw new UsageError(`unknown option '${token}' (see 'forkroad advise --help')`);
      }
    }
  }
  if (args.workload !== undefined && args.command.length > 0) {
    throw new UsageError('give either --workload or a command to classify, not both');
  }
  return args;
}
