import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'decide',
    include: ['test/**/*.test.ts'],
  },
});
