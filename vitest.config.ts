import { defineConfig } from 'vitest/config';

// Tests run in forked processes: native addons (better-sqlite3, onnxruntime-node) and
// network servers behave best outside worker threads. Two cores: two forks at most.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
