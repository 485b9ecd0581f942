import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests bind real sockets and spawn engines; two workers fit this 2-core machine.
    maxWorkers: 2,
    pool: 'forks',
  },
});
