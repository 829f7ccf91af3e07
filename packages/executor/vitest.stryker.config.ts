import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The mutation run's tests: the executor's own and the async backend's (quick, in one thread).
// They reach the executor through its package name or its dist, which hold the built code; here
// they must reach the mutated sources instead.
const src = fileURLToPath(new URL('./src/', import.meta.url));

/** The executor's own tests first: they are quick, and the first failure ends a mutant's run. */
class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => (file.moduleId.includes('/packages/executor/') ? 0 : 1);
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@forkroad\/executor\/conformance$/, replacement: `${src}conformance/index.ts` },
      { find: /^@forkroad\/executor$/, replacement: `${src}index.ts` },
      { find: /^\.\.\/dist\/(.*)\.js$/, replacement: `${src}$1.ts` },
    ],
  },
  test: {
    include: ['packages/executor/test/**/*.test.ts', 'packages/async/test/**/*.test.ts'],
    sequence: { sequencer: QuickFirst },
  },
});
