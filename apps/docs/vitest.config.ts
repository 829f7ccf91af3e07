import { defineConfig } from 'vitest/config';

// Browser tests against the production build in build/ (turbo runs `build` before `test`).
// One browser per test file; files run one after another — the machine has two cores.
export default defineConfig({
  test: {
    name: 'docs',
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A page that reacts (focus, a re-render, a route) can take seconds on a loaded machine.
    expect: { poll: { timeout: 10_000 } },
  },
});
