import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatResults, runBench, validateResults } from '@forkroad/bench';
import { BENCH_USAGE, DEFAULT_OUT, parseBenchArgs, withoutNode } from '../bench/args.js';
import { benchUnder } from '../bench/other-node.js';
import { progressView } from '../bench/progress.js';
import { type CliIO, type Command, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from '../io.js';

/**
 * `forkroad bench [--quick | --smoke] [--suite <name>]… [--backend <name>]… [--node <path>]
 * [--out <file>]`: runs the benchmarks (under another Node with --node),
 * prints the tables on stdout and writes the results JSON, checked against the schema first.
 * Exit 0 once written; 1 when a suite fails or the results do not validate; 2 for bad usage;
 * 130 when interrupted.
 */
export const bench: Command = async (argv: string[], io: CliIO): Promise<number> => {
  const args = parseBenchArgs(argv);
  if (args.help) {
    io.stdout.write(BENCH_USAGE);
    return EXIT_OK;
  }
  if (args.node !== undefined) return benchUnder(args.node, withoutNode(argv), io);
  const out = resolve(args.out ?? DEFAULT_OUT);
  const progress = progressView(io.stderr);
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  let results: Awaited<ReturnType<typeof runBench>>;
  try {
    results = await runBench({
      mode: args.mode,
      ...(args.suites.length > 0 ? { suites: args.suites } : {}),
      ...(args.backends ? { backends: args.backends } : {}),
      onProgress: (event) => progress.update(event),
      signal: controller.signal,
    });
  } catch (error) {
    progress.stop();
    if (controller.signal.aborted) {
      io.stderr.write('forkroad bench: interrupted; nothing written\n');
      return EXIT_INTERRUPTED;
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
  const problems = validateResults(results);
  if (problems.length > 0) {
    io.stderr.write(
      `forkroad bench: the results do not match the schema, so they were not written:\n  ${problems.join('\n  ')}\n`,
    );
    return EXIT_FAILURE;
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  const width = Math.max(60, Math.min(140, io.stdout.columns || 100));
  io.stdout.write(formatResults(results, { width }));
  io.stdout.write(`\nresults: ${out}\n`);
  return EXIT_OK;
};
