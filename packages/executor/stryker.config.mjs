// Mutation testing of the scheduling core (run from the repository root: `pnpm mutation`).
// Tests: the executor's own (see vitest.stryker.config.ts); the backends' runs are too slow to
// repeat for every mutant. The score of each file is in packages/executor/README.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps the runner out of the core's sight: name it.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'packages/executor/vitest.stryker.config.ts' },
  mutate: [
    'packages/executor/src/core.ts',
    'packages/executor/src/scheduler.ts',
    'packages/executor/src/moving-mean.ts',
    'packages/executor/src/map.ts',
    'packages/executor/src/validate.ts',
    'packages/executor/src/errors.ts',
    'packages/executor/src/as-completed.ts',
  ],
  // Only what the tests above load is copied to the sandbox (with the executor's dist: a test
  // loads the conformance task module from there).
  ignorePatterns: ['/apps', '/packages/*', '!/packages/executor', 'reports'],
  coverageAnalysis: 'perTest',
  // Committed: a fresh clone re-tests only the mutants whose code or tests changed.
  incremental: true,
  incrementalFile: 'packages/executor/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/executor.html' },
  // The tests mostly wait on timers, so four runners use about a core.
  concurrency: 4,
  timeoutMS: 5_000,
  cleanTempDir: 'always',
};
