import type { Headers } from './headers.js';

/** A consumed record as a timestamp extractor sees it (key and value already deserialized). */
export interface ConsumedRecord<K = unknown, V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: K;
  readonly value: V;
  /** The timestamp Kafka stored (create or log-append time), ms. */
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * Picks the event time of a consumed record. `partitionTimeMs` is the highest timestamp seen on
 * the record's partition so far (-1 before the first). A negative result drops the record
 * (counted as a dropped record), as in Kafka Streams.
 */
export interface TimestampExtractor {
  extract(record: ConsumedRecord, partitionTimeMs: number): number;
}
