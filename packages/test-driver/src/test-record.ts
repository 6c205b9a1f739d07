import { Headers } from '@kstreams/core';

/** A record read from an output topic (or piped into an input topic) of the test driver. */
export interface TestRecord<K, V> {
  readonly key: K;
  readonly value: V;
  /** Record timestamp, ms. */
  readonly timestamp: number;
  readonly headers: Headers;
}

/** A record to pipe in: timestamp and headers are optional (the topic's clock and none). */
export interface TestRecordInput<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp?: number;
  readonly headers?: Headers;
}

/** A key and a value, as read by `readKeyValue` or piped by `pipeKeyValueList`. */
export interface TestKeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/** A record as the driver captured it: bytes, before the output topic deserializes it. */
export interface CapturedRecord {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
}
