import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here and in CI; CLI tests spawn child processes, so keep the pool small.
    maxWorkers: 2,
  },
});
