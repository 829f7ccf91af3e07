import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { arch, availableParallelism, cpus, loadavg, platform, totalmem } from 'node:os';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Machine } from './types.js';

/** The directory of this package (its package.json's). */
export const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The short commit of the forkroad checkout this package runs from, or null: when it is installed
 * from npm (under node_modules) the surrounding repository is someone else's, so it is not asked.
 */
export function gitCommit(): string | null {
  if (packageDir.split(sep).includes('node_modules')) return null;
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 5000,
  });
  if (top.status !== 0 || !top.stdout.trim()) return null;
  const inside = relative(realpathSync(top.stdout.trim()), realpathSync(packageDir));
  if (inside.startsWith('..')) return null;
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 5000,
  });
  return head.status === 0 && head.stdout.trim() ? head.stdout.trim() : null;
}

export function loadAverage(): number[] {
  return loadavg().map((v) => Math.round(v * 100) / 100);
}

/** This machine, as the results describe it. */
export function describeMachine(python: string | null): Machine {
  const cpu = cpus()[0];
  return {
    cpuModel: cpu?.model.trim() || 'unknown',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    platform: platform(),
    arch: arch(),
    node: process.version,
    python,
    commit: gitCommit(),
    loadAverage: loadAverage(),
  };
}
