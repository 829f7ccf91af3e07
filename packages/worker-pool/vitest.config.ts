import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'worker-pool',
    include: ['test/**/*.test.ts'],
  },
});
