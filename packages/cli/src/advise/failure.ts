import type { WorkloadReportLike } from '@forkroad/decide';

/** Lines of the command's stderr shown when its run failed. */
const SHOWN_LINES = 15;

/** What usually makes a run fail before it does its work, by what its stderr says. */
const HINTS: [RegExp, string][] = [
  [
    /ModuleNotFoundError|ImportError|Cannot find (module|package)|ERR_MODULE_NOT_FOUND/,
    'a module is missing: install it, or activate the virtualenv (or run from the project directory) the program needs',
  ],
  [
    /ConnectionRefused|ECONNREFUSED|Connection refused|Failed to establish a new connection/,
    'a connection was refused: start the server it talks to, or point it at the right host and port',
  ],
  [
    /No such file or directory|ENOENT|FileNotFoundError/,
    'a file is missing: check the paths and the working directory',
  ],
  [
    /Permission denied|EACCES|PermissionError/,
    'permission was denied: check file modes and the user it runs as',
  ],
];

/**
 * The message for a measured run that failed: how it ended, the end of its stderr, and what to
 * fix. A failed run measured the failure, not the work, so advise stops on it.
 */
export function failedRunMessage(report: WorkloadReportLike, failure: string): string {
  const argv = report.command?.argv?.join(' ');
  const stderrTail = report.failure?.stderrTail ?? '';
  const lines = stderrTail.replace(/\s+$/, '').split('\n');
  const tail = lines.slice(-SHOWN_LINES);
  const hint = HINTS.find(([pattern]) => pattern.test(stderrTail))?.[1];
  return [
    `forkroad advise: the measured run ${argv ? `of ${argv} ` : ''}failed (${failure}).`,
    'A failed run is not a workload: its measurement describes the failure, so there is no advice to give.',
    ...(stderrTail.trim() === ''
      ? ['(it wrote nothing to stderr)']
      : [
          `${lines.length > tail.length ? `last ${tail.length} lines of` : 'its'} stderr:`,
          ...tail.map((line) => `  | ${line}`),
        ]),
    `What to fix: ${hint ?? 'make the command succeed on its own first (run it without forkroad)'}; then run advise again.`,
    'If the failure is part of the work you want advice on, pass --failure-expected.',
    '',
  ].join('\n');
}
