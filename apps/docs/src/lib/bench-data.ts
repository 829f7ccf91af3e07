import raw from '@site/src/generated/bench-results.json';
import type { BenchResults, Suite, SuiteId } from './bench';

/**
 * The results the site was built from: `scripts/prepare.mjs` copies them from
 * `packages/bench/results/latest.json` (after checking their shape) before every build.
 */
export const results = raw as unknown as BenchResults;

export function findSuite(id: SuiteId): Suite | undefined {
  return results.suites.find((suite) => suite.id === id);
}
