import { type CliIO, type Command, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './io.js';

export type { Command } from './io.js';

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  classify: {
    summary: 'measure whether a command is I/O-bound, CPU-bound or mixed',
    load: async () => (await import('./commands/classify.js')).classify,
  },
  advise: {
    summary: 'walk the decision flowchart and recommend a concurrency model',
    load: async () => (await import('./commands/advise.js')).advise,
  },
  bench: {
    summary: "run the guide's experiments on forkroad's backends and write results JSON",
    load: async () => (await import('./commands/bench.js')).bench,
  },
};

export function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`);
  return [
    'usage: forkroad <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    "run 'forkroad <command> --help' for a command's options",
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`forkroad: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`forkroad ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`forkroad ${name}: ${message}\n`);
    return EXIT_FAILURE;
  }
}
