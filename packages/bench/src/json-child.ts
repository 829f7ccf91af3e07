import { spawn } from 'node:child_process';

/**
 * Runs a program that prints one JSON document as its last line of stdout (the memory probes, in
 * Node and in Python), and resolves with that document; a failure says what failed, with the
 * program's last lines of stderr.
 */
export function runJsonChild<T>(
  what: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env,
      signal: options.signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
      } catch (error) {
        reject(new Error(`${what} failed (${(error as Error).message}): ${lastLines(stderr)}`));
      }
    });
  });
}

export function lastLines(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.slice(-3).join(' | ') || 'no output';
}
