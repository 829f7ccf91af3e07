import latest from '@site/src/generated/bench-results.json';
import node24 from '@site/src/generated/bench-results-node24.json';
import type { BenchResults, Suite, SuiteId } from './bench';

/**
 * The results the site was built from: `scripts/prepare.mjs` copies them from
 * `packages/bench/results/` (after checking their shape) before every build — `latest` every suite
 * (`latest.json`), `node24` the overhead and pools suites under Node 24 (`node24.json`).
 */
export const RESULT_SETS = {
  latest: latest as unknown as BenchResults,
  node24: node24 as unknown as BenchResults,
};

export type ResultSet = keyof typeof RESULT_SETS;

/** Every suite's results: what the pages show unless told otherwise. */
export const results = RESULT_SETS.latest;

export function findSuite(id: SuiteId, set: ResultSet = 'latest'): Suite | undefined {
  return RESULT_SETS[set].suites.find((suite) => suite.id === id);
}
