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

/** The task function `name` of a loaded task module, or a TypeError naming what is wrong. */
export function taskFunction(tasks: TaskModuleExports, name: string): TaskFunction {
  const fn = Object.hasOwn(tasks, name) ? tasks[name] : undefined;
  if (typeof fn === 'function') return fn as TaskFunction;
  if (fn === undefined) {
    const names = Object.keys(tasks).filter((key) => typeof tasks[key] === 'function');
    throw new TypeError(
      `unknown task '${name}': the task module exports ${names.length ? names.join(', ') : 'no functions'}`,
    );
  }
  throw new TypeError(`task '${name}' is not a function: the task module exports it as ${typeof fn}`);
}

const AsyncFunction = (async () => {}).constructor;

/** Whether `fn` is an `async function`, whose awaits carry the task context. */
export function isAsyncFunction(fn: TaskFunction): boolean {
  return fn instanceof AsyncFunction;
}
