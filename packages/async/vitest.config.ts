import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'async',
    include: ['test/**/*.test.ts'],
  },
});
