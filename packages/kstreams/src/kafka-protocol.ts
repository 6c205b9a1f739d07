/**
 * kstreams/kafka-protocol: what kstreams owns of Kafka's wire protocol: record batches, Produce, transactions, BatchProducer.
 * Re-exports every named export of `@kstreams/kafka-protocol` (a subpath, so its names never clash with the root's).
 */
export * from '@kstreams/kafka-protocol';
