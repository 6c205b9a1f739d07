import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One root config with two projects:
 * - `unit`: every `*.test.ts`, fast, no broker;
 * - `integration`: `*.integration.test.ts`, against a real Kafka broker that the global setup
 *   starts (or `KAFKA_BROKERS` when set), and `*.slow.test.ts` (no broker, but too slow for the
 *   unit budget: crash recovery with child processes, large data); one file at a time, no retries.
 * Workspace packages resolve to their `src/` so nothing has to be built first.
 */
export default defineConfig({
  resolve: {
    alias: [
      // The umbrella package `kstreams` (and `kstreams/test-driver`) resolves to its sources too.
      { find: /^kstreams$/, replacement: `${root}packages/kstreams/src/index.ts` },
      { find: /^kstreams\/test-driver$/, replacement: `${root}packages/kstreams/src/test-driver.ts` },
      { find: /^@kstreams\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      { find: /^@kstreams\/([a-z0-9-]+)\/(.+)$/, replacement: `${root}packages/$1/src/$2.ts` },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{packages,apps,tests,benchmarks,tools}/**/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.integration.test.ts', '**/*.slow.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{packages,apps,tests,tools}/**/src/**/*.{integration,slow}.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: [`${root}packages/kafka-broker/src/vitest-global-setup.ts`],
          fileParallelism: false,
          retry: 0,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
