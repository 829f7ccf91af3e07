import type { TaskFunction } from './types.js';

/** A loaded task module: its exports by name. */
export type TaskModuleExports = Record<string, unknown>;

/**
 * Imports a task module, turning a failure into an error that says which module and why, the
 * same on every backend.
 */
export async function loadTaskModule(url: string): Promise<TaskModuleExports> {
  try {
    return (await import(url)) as TaskModuleExports;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const code = (cause as { code?: unknown } | null)?.code;
    const hint =
      code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?ts$/.test(url)
        ? " (TypeScript task modules need a loader here: on Node 20, start with `node --import ./register-tsx.mjs` where that file runs `import { register } from 'tsx/esm/api'; register();`, or give processes `execArgv: ['--import', 'tsx']`)"
        : '';
    throw new Error(`could not load task module ${url}: ${reason}${hint}`, { cause });
  }
}

/** What each export of a task module is (`typeof`), by name: all a parent needs to check names. */
export type TaskModuleShape = Record<string, string>;

/** The shape of a loaded task module. */
export function shapeOf(tasks: TaskModuleExports): TaskModuleShape {
  const shape: TaskModuleShape = {};
  for (const key of Object.keys(tasks)) shape[key] = typeof tasks[key];
  return shape;
}

/** A TypeError naming what is wrong when `name` is not a function of the module, else null. */
export function taskNameError(shape: TaskModuleShape, name: string): TypeError | null {
  const type = Object.hasOwn(shape, name) ? shape[name] : undefined;
  if (type === 'function') return null;
  if (type === undefined) {
    const names = Object.keys(shape).filter((key) => shape[key] === 'function');
    return new TypeError(
      `unknown task '${name}': the task module exports ${names.length ? names.join(', ') : 'no functions'}`,
    );
  }
  return new TypeError(`task '${name}' is not a function: the task module exports it as ${type}`);
}

/** The task function `name` of a loaded task module, or a TypeError naming what is wrong. */
export function taskFunction(tasks: TaskModuleExports, name: string): TaskFunction {
  const fn = Object.hasOwn(tasks, name) ? tasks[name] : undefined;
  if (typeof fn === 'function') return fn as TaskFunction;
  throw taskNameError(shapeOf(tasks), name)!;
}

const AsyncFunction = (async () => {}).constructor;

/** Whether `fn` is an `async function`, whose awaits carry the task context. */
export function isAsyncFunction(fn: TaskFunction): boolean {
  return fn instanceof AsyncFunction;
}
