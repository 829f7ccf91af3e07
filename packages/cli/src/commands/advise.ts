import { type Answers, decide, RUNTIMES } from '@forkroad/decide';
import { ADVISE_USAGE, type AdviseArgs, parseAdviseArgs } from '../advise/args.js';
import { type ClassifyCommand, loadClassifyCommand } from '../advise/classify.js';
import { askMissing, askRuntime } from '../advise/interactive.js';
import { PromptCancelled } from '../advise/prompt.js';
import { renderDecision } from '../advise/render.js';
import { type CliIO, type Command, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../io.js';

export interface AdviseDeps {
  /** Measures a command; defaults to `classifyCommand` from `@forkroad/classify`, loaded on first use. */
  classifyCommand?: ClassifyCommand;
}

function answersFrom(args: AdviseArgs): Partial<Answers> {
  const answers: Partial<Answers> = {};
  if (args.runtime !== undefined) answers.runtime = args.runtime;
  if (args.workload !== undefined) answers.workload = args.workload;
  if (args.tasksInFlight !== undefined) answers.tasksInFlight = args.tasksInFlight;
  if (args.blockingLibraries !== undefined) answers.blockingLibraries = args.blockingLibraries;
  if (args.isolation !== undefined) answers.isolation = args.isolation;
  if (args.fastEnough !== undefined) answers.fastEnough = args.fastEnough;
  return answers;
}

/** `forkroad advise` with its dependencies injected (tests pass a fake classifier). */
export function createAdvise(deps: AdviseDeps = {}): Command {
  return async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseAdviseArgs(argv);
    if (args.help) {
      io.stdout.write(ADVISE_USAGE);
      return EXIT_OK;
    }
    let answers = answersFrom(args);
    const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true;
    const missing = args.runtime === undefined || (args.workload === undefined && args.command.length === 0);
    if (!terminal && args.runtime === undefined) {
      throw new UsageError(
        `missing --runtime: one of ${RUNTIMES.join(', ')} (or run it in a terminal to be asked)`,
      );
    }

    // With --json the prompts go to stderr, so stdout stays one JSON document.
    const prompts = { stdin: io.stdin, output: args.json ? io.stderr : io.stdout };
    try {
      if (args.command.length > 0) {
        // Ask for the runtime before a measurement that may take a while.
        if (terminal && answers.runtime === undefined) answers.runtime = await askRuntime(prompts);
        const classify = deps.classifyCommand ?? (await loadClassifyCommand());
        io.stderr.write(`forkroad advise: measuring ${args.command.join(' ')} …\n`);
        answers.workload = await classify(args.command);
      }
      if (terminal && missing) {
        answers = await askMissing(prompts, answers);
        prompts.output.write('\n');
      }
    } catch (error) {
      if (error instanceof PromptCancelled) return EXIT_INTERRUPTED;
      throw error;
    }

    let decision: ReturnType<typeof decide>;
    try {
      decision = decide(answers as Answers);
    } catch (error) {
      if (error instanceof TypeError) throw new UsageError(error.message);
      throw error;
    }
    io.stdout.write(
      args.json ? `${JSON.stringify(decision, null, 2)}\n` : renderDecision(decision, io.stdout.columns),
    );
    return EXIT_OK;
  };
}

/**
 * `forkroad advise [options] [--] [command…]`: walks the decision flowchart (asking in a terminal
 * for what the options leave out) and prints the recommendation, or the decision as JSON.
 */
export const advise: Command = createAdvise();
