/**
 * The overhead task module: a task that does nothing but return its argument, so that what is
 * measured is the pool's cost per task. The default export is for piscina and tinypool; the named
 * export for forkroad's executors.
 */

export function noop(x: number): number {
  return x;
}

export default noop;
