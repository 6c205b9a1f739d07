/**
 * kstreams/test-driver: runs a topology in process without a broker (`TopologyTestDriver`,
 * `TestInputTopic`, `TestOutputTopic`) and tests one processor alone (`MockProcessorContext`).
 * Re-exports every named export of `@kstreams/test-driver`.
 */
export * from '@kstreams/test-driver';
