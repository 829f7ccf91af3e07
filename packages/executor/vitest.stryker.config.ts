import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The mutation run's tests: the executor's own and the async backend's (quick, in one thread).
// The backend reaches the executor through its package name, which resolves to the built dist;
// here it must reach the mutated sources instead.
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@forkroad\/executor\/conformance$/, replacement: src('conformance/index.ts') },
      { find: /^@forkroad\/executor$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['packages/executor/test/**/*.test.ts', 'packages/async/test/**/*.test.ts'],
  },
});
