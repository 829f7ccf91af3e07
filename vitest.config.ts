import { defineConfig } from 'vitest/config';

// One Vitest run over every package: `pnpm vitest` at the root. Each package keeps its own
// vitest.config.ts so that `pnpm --filter <pkg> test` works alone too.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
