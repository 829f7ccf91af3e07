import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'classify',
    include: ['test/**/*.test.ts'],
    // The corpus measures real CPU and wall time: files must not run at the same time and
    // compete for the CPUs they measure.
    fileParallelism: false,
    testTimeout: 30_000,
  },
});
