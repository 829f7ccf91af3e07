import { describe, expectTypeOf, it } from 'vitest';
import type { createExecutor, FleetStats, Host, startHost } from '../dist/index.js';

type Tasks = typeof import('./fixtures/tasks.mjs');
type Pool = ReturnType<typeof createExecutor<Tasks>>;

describe('@forkroad/distributed: types', () => {
  it('infers task names, arguments and results from the task module', () => {
    expectTypeOf<Parameters<Pool['submit']>[0]>().toEqualTypeOf<
      'work' | 'cooperative' | 'spin' | 'echo' | 'square' | 'identity' | 'unclonable'
    >();
    const square = (pool: Pool) => pool.submit('square', [3]);
    expectTypeOf<ReturnType<typeof square>>().toEqualTypeOf<Promise<number>>();
    const squares = (pool: Pool) => pool.map('square', [1, 2]);
    expectTypeOf<ReturnType<typeof squares>>().toExtend<AsyncIterable<number>>();
    // @ts-expect-error an unknown task name
    const unknown = (pool: Pool) => pool.submit('nope', []);
    expectTypeOf(unknown).toBeFunction();
  });

  it('has no meaning for transfer: passing one is a type error', () => {
    const withTransfer = (pool: Pool, buffer: ArrayBuffer) =>
      // @ts-expect-error transfer has no meaning between machines
      pool.submit('echo', [buffer], { transfer: [buffer] });
    expectTypeOf(withTransfer).toBeFunction();
  });

  it('shows the fleet and starts hosts', () => {
    expectTypeOf<ReturnType<Pool['fleet']>>().toEqualTypeOf<Promise<FleetStats>>();
    expectTypeOf<ReturnType<typeof startHost>>().toEqualTypeOf<Promise<Host>>();
    expectTypeOf<FleetStats['jobs']['waiting']>().toEqualTypeOf<number>();
  });
});
