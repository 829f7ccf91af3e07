import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'classify',
    include: ['test/**/*.test.ts'],
  },
});
