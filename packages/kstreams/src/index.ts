/**
 * kstreams: Kafka Streams' Processor API and runtime for Node.js, in one package. Re-exports
 * every named export of the building blocks, so applications import from one place:
 *
 * - `@kstreams/core`: `Topology`, processors and `Record`, serdes (`Serdes`), `Stores` and the
 *   store interfaces, errors rooted at `StreamsError`, exception handlers;
 * - `@kstreams/runtime`: `KafkaStreams`, `StreamsConfig`, the lifecycle states, the partitioner;
 * - `@kstreams/store-memory`: `inMemoryBackend()`;
 * - `@kstreams/store-lmdb`: `lmdbBackend()`, the persistent store backend;
 * - `@kstreams/metrics`: OpenTelemetry instruments, tracing, `healthReport` and `startHealthServer`.
 *
 * The in-process `TopologyTestDriver` lives at `kstreams/test-driver`, so test code stays out of
 * the application's main entry point.
 */
export * from '@kstreams/core';
export * from '@kstreams/runtime';
export * from '@kstreams/store-memory';
export * from '@kstreams/store-lmdb';
export * from '@kstreams/metrics';

// Both core (the record a timestamp extractor sees) and runtime (the Kafka client adapter's
// fetched record) export a `ConsumedRecord`: the application-facing one keeps the name.
export type { ConsumedRecord } from '@kstreams/core';
export type { ConsumedRecord as KafkaConsumedRecord } from '@kstreams/runtime';
