/**
 * The inference the README advertises: `createExecutor<typeof import('./tasks.js')>(url)` types
 * task names, arguments and results. Checked by `tsc` (the typecheck script covers test/);
 * at run time these are no-ops apart from the one call that exercises the executor.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ConformanceTasks } from '../dist/conformance/index.js';
import type { Executor, TaskArgs, TaskInput, TaskName, TaskResult } from '../dist/index.js';
import { createExecutor } from './minimal-backend.js';

interface Tasks {
  add(a: number, b: number): number;
  fetchTitle(url: string): Promise<string | undefined>;
  now(): Date;
  version: string;
}

describe('task-name and argument inference', () => {
  it('names are the exports that are functions', () => {
    expectTypeOf<TaskName<Tasks>>().toEqualTypeOf<'add' | 'fetchTitle' | 'now'>();
  });

  it('arguments, map inputs and awaited results follow each task', () => {
    expectTypeOf<TaskArgs<Tasks, 'add'>>().toEqualTypeOf<[a: number, b: number]>();
    expectTypeOf<TaskInput<Tasks, 'fetchTitle'>>().toEqualTypeOf<string>();
    expectTypeOf<TaskInput<Tasks, 'now'>>().toEqualTypeOf<undefined>();
    expectTypeOf<TaskResult<Tasks, 'fetchTitle'>>().toEqualTypeOf<string | undefined>();
  });

  it('submit and map are typed from the module', () => {
    const pool = {} as Executor<Tasks>;
    expectTypeOf(pool.submit<'add'>)
      .parameter(1)
      .toEqualTypeOf<[a: number, b: number]>();
    expectTypeOf(pool.submit<'add'>).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.map<'fetchTitle'>).returns.toEqualTypeOf<AsyncIterableIterator<string | undefined>>();
    expectTypeOf(pool.map<'fetchTitle'>)
      .parameter(1)
      .toEqualTypeOf<Iterable<string> | AsyncIterable<string>>();
    // @ts-expect-error: not an export
    expectTypeOf(pool.submit).toBeCallableWith('nope', []);
    // @ts-expect-error: not a function
    expectTypeOf(pool.submit).toBeCallableWith('version', []);
    // @ts-expect-error: wrong argument types
    expectTypeOf(pool.submit).toBeCallableWith('add', ['1', 2]);
  });

  it('a backend built on ExecutorCore infers from `typeof import(…)`', async () => {
    const pool = createExecutor<ConformanceTasks>(new URL('../dist/conformance/tasks.js', import.meta.url));
    await using _ = pool;
    const one = await pool.submit('addOne', [1]);
    expectTypeOf(one).toEqualTypeOf<number>();
  });
});
