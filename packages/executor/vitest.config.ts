import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'executor',
    include: ['test/**/*.test.ts'],
  },
});
