import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/build.ts'],
    // CLI tests spawn node; two cores on CI.
    testTimeout: 30_000,
  },
});
