import type { RecordMetadata } from './record-metadata.js';

/** Chooses the output topic per record (dynamic routing). */
export type TopicNameExtractor<K, V> = (key: K, value: V, context: { readonly recordMetadata: RecordMetadata | undefined }) => string;

/**
 * Chooses the partition of an output record. Returning `undefined` falls back to the default
 * partitioner (murmur2 of the serialized key, as Java's producer does).
 */
export type StreamPartitioner<K, V> = (topic: string, key: K, value: V, numPartitions: number) => number | undefined;
