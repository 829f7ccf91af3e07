import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'threads',
    include: ['test/**/*.test.ts'],
  },
});
