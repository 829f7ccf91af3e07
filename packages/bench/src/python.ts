import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lastLines, runJsonChild } from './json-child.js';

/** The Python interpreter the bench runs, if any. */
export interface PythonInfo {
  command: string;
  /** e.g. `3.11.7` */
  version: string;
}

/** `python3 --version` (or the given command's): the interpreter, or null when there is none. */
export function findPython(command: string): PythonInfo | null {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) return null;
  const match = /Python\s+(\S+)/.exec(`${result.stdout} ${result.stderr}`);
  return match ? { command, version: match[1]! } : null;
}

export function pythonScript(name: 'bench.py' | 'memory.py' | 'startup.py'): string {
  return fileURLToPath(new URL(`../python/${name}`, import.meta.url));
}

export interface PythonVariant {
  id: string;
  kind: string;
  [key: string]: unknown;
}

/**
 * Times `variants` with python/bench.py, or another script that speaks its protocol (warm-up,
 * `reps` repetitions in rotated order). Calls `onSample` for every sample as it arrives; resolves
 * with the samples (ms) per variant id.
 */
export function runPythonTimed(
  python: PythonInfo,
  config: { reps: number; warmup: boolean; variants: PythonVariant[] },
  onSample: (id: string, ms: number) => void,
  signal?: AbortSignal,
  script: 'bench.py' | 'startup.py' = 'bench.py',
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(config.variants.map((v) => [v.id, []]));
  return new Promise((resolve, reject) => {
    const child = spawn(python.command, [pythonScript(script)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      signal,
    });
    let stderr = '';
    let buffered = '';
    let done = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (!line) continue;
        try {
          const event = JSON.parse(line) as { type: string; id?: string; ms?: number };
          if (event.type === 'sample' && typeof event.id === 'string' && typeof event.ms === 'number') {
            samples.get(event.id)?.push(event.ms);
            onSample(event.id, event.ms);
          } else if (event.type === 'done') {
            done = true;
          }
        } catch {
          stderr += `\n(unexpected output: ${line.slice(0, 200)})`;
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      if (code === 0 && done) resolve(samples);
      else reject(new Error(`python ${script} failed (exit ${code ?? sig}): ${lastLines(stderr)}`));
    });
    child.stdin.end(JSON.stringify(config));
  });
}

export interface PythonMemory {
  perUnit: number;
  units: number;
  virtualPerUnit?: number;
  pssPerUnit?: number;
}

/** One sample of python/memory.py in a fresh interpreter. */
export function runPythonMemory(
  python: PythonInfo,
  kind: string,
  n: number,
  signal?: AbortSignal,
): Promise<PythonMemory> {
  return runJsonChild<PythonMemory>(
    `python memory.py ${kind} ${n}`,
    python.command,
    [pythonScript('memory.py'), kind, String(n)],
    { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, signal },
  );
}
