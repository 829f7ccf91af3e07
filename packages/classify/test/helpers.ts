import { spawnSync } from 'node:child_process';

/**
 * The real Python interpreter, or null. Resolved once through `python3` so that version-manager
 * shims (pyenv runs a shell script and several helper processes) do not add to what is measured.
 */
export const python: string | null = (() => {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const path = r.status === 0 ? r.stdout.trim() : '';
  return path === '' ? null : path;
})();

export const hasPython = python !== null;

if (!hasPython) {
  console.warn('python3 not found: the Python workloads of the classify corpus are SKIPPED');
}

/** Keeps the calling thread on CPU for `ms` milliseconds. */
export function busy(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x++;
  return x;
}

/**
 * Does `ms` milliseconds of CPU work (process CPU time, not wall time): a fixed amount of work,
 * which takes longer on a busy machine but stays the same work.
 */
export function burnCpu(ms: number): number {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x++;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return x;
  }
}
