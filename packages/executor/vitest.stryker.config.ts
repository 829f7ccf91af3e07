import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The mutation run's tests: the executor's own, which run the conformance suite against the
// README's minimal backend (the async backend's run the same suite again, and would double the
// time each mutant takes). They reach the executor through its dist, which holds the built code;
// here they must reach the mutated sources instead.
const src = fileURLToPath(new URL('./src/', import.meta.url));

/** The conformance suite last: the others are quick, and the first failure ends a mutant's run. */
class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => (file.moduleId.endsWith('conformance.test.ts') ? 1 : 0);
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
    include: ['packages/executor/test/**/*.test.ts'],
    sequence: { sequencer: QuickFirst },
  },
});
