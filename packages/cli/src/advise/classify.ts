import type { WorkloadReportLike } from '@forkroad/decide';

/** What advise needs from `@forkroad/classify`: `classifyCommand(argv, options?)`. */
export type ClassifyCommand = (
  argv: string[],
  options?: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeout?: number;
    /** Receives the command's stderr (kept for a failed run's message). */
    stderr?: (chunk: Buffer) => void;
  },
) => Promise<WorkloadReportLike>;

/**
 * Loads `classifyCommand` from `@forkroad/classify` on first use: the classifier (and its Linux
 * /proc readers) is imported only when advise is given a command to measure.
 */
export async function loadClassifyCommand(): Promise<ClassifyCommand> {
  const { classifyCommand } = await import('@forkroad/classify');
  return classifyCommand;
}

/** How much of the command's stderr is kept: enough for a traceback's last frames. */
const KEPT_BYTES = 8192;

/** Measures the command, keeping the end of its stderr for the message a failed run gets. */
export async function measure(
  classify: ClassifyCommand,
  argv: string[],
): Promise<{ report: WorkloadReportLike; stderrTail: string }> {
  let kept = Buffer.alloc(0);
  const report = await classify(argv, {
    stderr: (chunk) => {
      kept = Buffer.concat([kept, chunk]);
      if (kept.length > 2 * KEPT_BYTES) kept = kept.subarray(kept.length - KEPT_BYTES);
    },
  });
  return { report, stderrTail: kept.subarray(Math.max(0, kept.length - KEPT_BYTES)).toString('utf8') };
}
