import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Servers in tests bind ephemeral ports; files run in parallel workers, tests inside a file in order.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // main.ts is the composition root: it is exercised by the e2e test as a child process,
      // which v8 coverage in the test workers cannot see.
      exclude: ['src/main.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 85, branches: 85, functions: 85, statements: 85 },
    },
  },
});
