import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Crash, HTTP and browser tests start processes and servers; two cores are all there is.
    maxWorkers: 2,
    // CI reads the counts from this report (.ci/run prints "N passed, N failed").
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/graph/**'] } },
      // The Graph tests' workers must trust the fake Microsoft cloud's self-signed certificate,
      // which Node reads only at process start: the global setup makes it, then forks the workers.
      {
        extends: true,
        test: { name: 'graph', include: ['test/graph/**/*.test.ts'], globalSetup: ['test/graph/trustTestCertificate.ts'], pool: 'forks' },
      },
    ],
  },
});
