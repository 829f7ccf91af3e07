/** The streams a command talks to; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** A subcommand: parses its own arguments and returns the process exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** After Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Thrown by argument parsing; main() prints the message and exits with EXIT_USAGE. */
export class UsageError extends Error {
  override name = 'UsageError';
}
