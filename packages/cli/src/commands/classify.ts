import { writeFile } from 'node:fs/promises';
import {
  CommandStartError,
  classifyCommand,
  classifyProcess,
  ProcessAccessError,
  type WorkloadReport,
} from '@forkroad/classify';
import { CLASSIFY_USAGE, type ClassifyArgs, parseClassifyArgs } from '../classify/args.js';
import { reportHtml } from '../classify/html.js';
import { renderReport } from '../classify/render.js';
import { startSpinner } from '../classify/spinner.js';
import { type CliIO, type Command, EXIT_FAILURE, EXIT_OK } from '../io.js';

/**
 * `forkroad classify [--runs N] [--json] [--report file.html] -- <command…>` or
 * `forkroad classify --pid PID [--duration 10s]`: measures and prints the report (text, or JSON
 * with --json), and writes the HTML page with --report. Exit 0 once measured, whatever the
 * command's own exit code (a failure is shown first in the report); 1 when it cannot be started
 * or the process cannot be sampled; 2 for bad usage.
 */
export const classify: Command = async (argv: string[], io: CliIO): Promise<number> => {
  const args = parseClassifyArgs(argv);
  if (args.help) {
    io.stdout.write(CLASSIFY_USAGE);
    return EXIT_OK;
  }
  let report: WorkloadReport;
  try {
    report = await measure(args, io);
  } catch (error) {
    if (error instanceof CommandStartError || error instanceof ProcessAccessError) {
      io.stderr.write(`forkroad classify: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  if (args.report !== undefined) {
    await writeFile(args.report, reportHtml(report));
    io.stderr.write(`forkroad classify: wrote ${args.report}\n`);
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

async function measure(args: ClassifyArgs, io: CliIO): Promise<WorkloadReport> {
  if (args.pid !== undefined) {
    const seconds = ((args.durationMs ?? 10_000) / 1000).toFixed(1);
    const spinner = startSpinner(io.stderr, `sampling pid ${args.pid} for ${seconds} s`);
    try {
      return await classifyProcess(args.pid, { durationMs: args.durationMs ?? 10_000 });
    } finally {
      spinner.stop();
    }
  }
  const spinner = startSpinner(io.stderr, `measuring ${args.command.join(' ')}`);
  // The command's output is passed on; with --json, stdout is kept for the report alone.
  const out = args.json ? io.stderr : io.stdout;
  try {
    return await classifyCommand(args.command, {
      runs: args.runs,
      ...(args.timeout === undefined ? {} : { timeout: args.timeout }),
      ...(args.probe === undefined ? {} : { probe: args.probe }),
      stdin: io.stdin === process.stdin ? 'inherit' : 'ignore',
      stdout: (chunk) => spinner.interrupt(() => out.write(chunk)),
      stderr: (chunk) => spinner.interrupt(() => io.stderr.write(chunk)),
    });
  } finally {
    spinner.stop();
  }
}
