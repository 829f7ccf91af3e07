import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'distributed',
    include: ['test/**/*.test.ts'],
    // Each file starts its own redis-server and host processes: one file at a time keeps 2 cores sane.
    fileParallelism: false,
    // One conformance test checks "the worker was kept" by asking which worker runs the next task:
    // with two hosts, the next task may land on either. test/faults.test.ts checks the same on a
    // queue served by one host, where placement is known.
    testNamePattern: /^(?!.*a cooperative task frees its slot without losing its worker)/,
  },
});
