import { type Answers, decide, RUNTIMES, runFailure } from '@forkroad/decide';
import { type AdviseArgs, adviseUsage, parseAdviseArgs } from '../advise/args.js';
import { type ClassifyCommand, loadClassifyCommand } from '../advise/classify.js';
import { failedRunMessage } from '../advise/failure.js';
import { askMissing, askReading, askRuntime } from '../advise/interactive.js';
import { PromptCancelled } from '../advise/prompt.js';
import { renderDecision, renderMeasurement } from '../advise/render.js';
import { runtimeOfCommand } from '../advise/runtime.js';
import { type CliIO, type Command, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../io.js';

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
  if (args.beyondOneMachine !== undefined) answers.beyondOneMachine = args.beyondOneMachine;
  if (args.server !== undefined) answers.server = args.server;
  return answers;
}

/** `forkroad advise` with its dependencies injected (tests pass a fake classifier). */
export function createAdvise(deps: AdviseDeps = {}): Command {
  return async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseAdviseArgs(argv);
    if (args.help) {
      io.stdout.write(adviseUsage(io.stdout.columns));
      return EXIT_OK;
    }
    let answers = answersFrom(args);
    const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true;
    const missing = args.runtime === undefined || (args.workload === undefined && args.command.length === 0);
    // A Python command gets Python's answers (the GIL) without being asked: `python3 app.py`.
    const inferred = args.runtime === undefined ? runtimeOfCommand(args.command) : undefined;
    if (inferred !== undefined) answers.runtime = inferred;
    const missingRuntime = () =>
      new UsageError(
        `missing --runtime: one of ${RUNTIMES.join(', ')} (or run it in a terminal to be asked)`,
      );
    // Without a terminal, a command may still show its runtime once measured.
    if (!terminal && answers.runtime === undefined && args.command.length === 0) throw missingRuntime();

    // With --json the prompts go to stderr, so stdout stays one JSON document.
    const prompts = { stdin: io.stdin, output: args.json ? io.stderr : io.stdout };
    try {
      if (args.command.length > 0) {
        // Ask for the runtime before a measurement that may take a while.
        if (terminal && answers.runtime === undefined) answers.runtime = await askRuntime(prompts);
        const classify = deps.classifyCommand ?? (await loadClassifyCommand());
        const runtime = inferred === undefined ? '' : ` (runtime: ${inferred}, from the command)`;
        io.stderr.write(`forkroad advise: measuring ${args.command.join(' ')}${runtime} …\n`);
        const report = await classify(args.command);
        const failure = runFailure(report);
        if (failure !== undefined && !args.failureExpected) {
          io.stderr.write(failedRunMessage(report, failure));
          return EXIT_FAILURE;
        }
        answers.workload = report;
        // The runtime the classifier recognised (python behind a shim, say), when the words did not tell.
        const measured = report.runtime?.name;
        if (answers.runtime === undefined && (measured === 'node' || measured === 'python')) {
          answers.runtime = measured;
        }
        if (!terminal && answers.runtime === undefined) throw missingRuntime();
        // What it measured comes before "is it already fast enough?": the answer depends on it.
        if (terminal && missing) prompts.output.write(renderMeasurement(report));
      }
      if (terminal && missing) {
        const complete = await askMissing(prompts, answers);
        answers = complete;
        // A measurement that is not clear-cut: ask which reading fits, then what that branch needs.
        if (typeof complete.workload === 'object') {
          const read = await askReading(prompts, complete);
          if (read !== complete) answers = await askMissing(prompts, read);
        }
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
