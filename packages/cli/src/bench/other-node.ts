import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CliIO, EXIT_FAILURE, EXIT_INTERRUPTED } from '../io.js';

/** This CLI's built entry point, which the other Node runs (from src/bench/ and dist/bench/ alike). */
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/**
 * Runs `forkroad bench <argv>` under another Node.js binary and resolves with its exit code: every
 * suite, worker and child process then runs on that Node, and the results' `machine.node` says which.
 * Ctrl-C reaches the child through the terminal; this process waits for it to finish.
 */
export function benchUnder(node: string, argv: readonly string[], io: CliIO): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, 'bench', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ignore = () => {};
    process.on('SIGINT', ignore);
    child.stdout.pipe(io.stdout, { end: false });
    child.stderr.pipe(io.stderr, { end: false });
    child.on('error', (error) => {
      process.off('SIGINT', ignore);
      reject(new Error(`cannot run --node ${node}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal === 'SIGINT' ? EXIT_INTERRUPTED : EXIT_FAILURE));
    });
  });
}
