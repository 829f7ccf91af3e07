import { CommandStartError, classifyCommand } from '@forkroad/classify';
import { CLASSIFY_USAGE, parseClassifyArgs } from '../classify/args.js';
import { renderReport } from '../classify/render.js';
import { startSpinner } from '../classify/spinner.js';
import { type CliIO, type Command, EXIT_FAILURE, EXIT_OK } from '../io.js';

/**
 * `forkroad classify [--runs N] [--json] -- <command…>`: measures a command and prints the
 * report (text, or JSON with --json). Exit 0 once measured, whatever the command's own exit
 * code; 1 when it cannot be started; 2 for bad usage.
 */
export const classify: Command = async (argv: string[], io: CliIO): Promise<number> => {
  const args = parseClassifyArgs(argv);
  if (args.help) {
    io.stdout.write(CLASSIFY_USAGE);
    return EXIT_OK;
  }
  const spinner = startSpinner(io.stderr, `measuring ${args.command.join(' ')}`);
  // The command's output is passed on; with --json, stdout is kept for the report alone.
  const out = args.json ? io.stderr : io.stdout;
  let report: Awaited<ReturnType<typeof classifyCommand>>;
  try {
    report = await classifyCommand(args.command, {
      runs: args.runs,
      ...(args.timeout === undefined ? {} : { timeout: args.timeout }),
      ...(args.probe === undefined ? {} : { probe: args.probe }),
      stdin: io.stdin === process.stdin ? 'inherit' : 'ignore',
      stdout: (chunk) => spinner.interrupt(() => out.write(chunk)),
      stderr: (chunk) => spinner.interrupt(() => io.stderr.write(chunk)),
    });
  } catch (error) {
    spinner.stop();
    if (error instanceof CommandStartError) {
      io.stderr.write(`forkroad classify: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  } finally {
    spinner.stop();
  }
  if (args.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const color = io.stdout.isTTY === true && !process.env.NO_COLOR;
    const width = Math.max(20, Math.min(60, (io.stdout.columns ?? 80) - 4));
    io.stdout.write(renderReport(report, { color, width }));
  }
  return EXIT_OK;
};
