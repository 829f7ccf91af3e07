import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'processes',
    include: ['test/**/*.test.ts'],
  },
});
