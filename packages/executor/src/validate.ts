import { availableParallelism } from 'node:os';
import type { ExecutorOptions } from './types.js';

/** Checks an option that must be a positive integer; returns it. */
export function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/** Checks a time limit in ms: a positive number, or Infinity for none; returns it. */
export function timeoutMs(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new RangeError(
      `${name} must be a positive number of milliseconds (or Infinity for none), got ${describe(value)}`,
    );
  }
  return value;
}

/** Rejects option keys nobody reads, so that a typo does not silently change nothing. */
export function knownKeys(options: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}' (known options: ${allowed.join(', ')})`);
    }
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** The options shared by all backends, checked and with defaults filled in. */
export interface ResolvedExecutorOptions {
  concurrency: number;
  maxQueue: number;
  timeout: number;
}

export const sharedOptionKeys = ['concurrency', 'maxQueue', 'timeout'] as const;

/**
 * Checks the shared options and the backend's own keys (`backendKeys`), throwing a TypeError or
 * RangeError that names the problem.
 */
export function resolveExecutorOptions(
  options: ExecutorOptions | undefined,
  backendKeys: readonly string[],
  where: string,
): ResolvedExecutorOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  knownKeys(options, [...sharedOptionKeys, ...backendKeys], where);
  return {
    concurrency:
      options.concurrency === undefined
        ? availableParallelism()
        : positiveInteger(options.concurrency, 'concurrency'),
    maxQueue:
      options.maxQueue === undefined || options.maxQueue === Infinity
        ? Infinity
        : nonNegativeInteger(options.maxQueue, 'maxQueue'),
    timeout: options.timeout === undefined ? Infinity : timeoutMs(options.timeout, 'timeout'),
  };
}

function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer or Infinity, got ${describe(value)}`);
  }
  return value;
}

/** Checks a task name: a non-empty string (whether the module exports it is the backend's to say). */
export function checkTaskName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(
      `task name must be a non-empty string (an export of the task module), got ${describe(name)}`,
    );
  }
}

/** Checks an optional `signal` option; returns it. */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal))
    throw new TypeError(`signal must be an AbortSignal, got ${describe(signal)}`);
  return signal;
}
