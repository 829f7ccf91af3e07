// Mutation testing of the worker slot and its wire protocol (`pnpm mutation:worker-pool` at the
// root). The tests start real threads and processes, which load the built dist: the mutated
// sources are built into the sandbox's dist first. Code that runs inside a worker keeps its
// original behaviour (the active mutant is known only to the test's own thread).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps the runner out of the core's sight: name it.
  plugins: ['@stryker-mutator/vitest-runner'],
  // The tests reach the slot through the built dist, which vitest cannot relate to the sources.
  vitest: { related: false },
  // tsconfig.build.json extends tsconfig.json, whose path to the root Stryker rewrites for the sandbox.
  buildCommand: 'tsc -p tsconfig.build.json',
  mutate: ['src/slot.ts', 'src/protocol.ts'],
  ignorePatterns: ['dist', 'bench', 'reports'],
  coverageAnalysis: 'perTest',
  // Committed: a fresh clone re-tests only the mutants whose code or tests changed.
  incremental: true,
  incrementalFile: 'stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/worker-pool.html' },
  // The tests mostly wait on workers and timers.
  concurrency: 2,
  timeoutMS: 10_000,
  cleanTempDir: 'always',
};
