import type { WorkloadReportLike } from '@forkroad/decide';

/** What advise needs from `@forkroad/classify`: `classifyCommand(argv, options?)`. */
export type ClassifyCommand = (
  argv: string[],
  options?: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeout?: number;
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
