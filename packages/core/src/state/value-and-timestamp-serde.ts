import type { Serde } from '../serde/serde.js';
import { readLong, writeLong } from './internals/bytes.js';
import type { ValueAndTimestamp } from './state-store.js';

const TIMESTAMP_LENGTH = 8;

/**
 * The value serde of timestamped stores, laid out as Kafka Streams' `ValueAndTimestampSerde`:
 * an 8-byte big-endian timestamp followed by the value's bytes.
 */
export function valueAndTimestampSerde<V>(valueSerde: Serde<V>): Serde<ValueAndTimestamp<V>> {
  return {
    serialize(topic, data) {
      const valueBytes = valueSerde.serialize(topic, data.value);
      if (valueBytes === null) return null;
      const bytes = new Uint8Array(TIMESTAMP_LENGTH + valueBytes.length);
      writeLong(bytes, 0, data.timestamp);
      bytes.set(valueBytes, TIMESTAMP_LENGTH);
      return bytes;
    },
    deserialize(topic, data) {
      if (data === null) return data as never;
      return { timestamp: readLong(data, 0), value: valueSerde.deserialize(topic, data.subarray(TIMESTAMP_LENGTH)) };
    },
  };
}

/** The timestamp stored in a serialized `ValueAndTimestamp`, or `fallback` for a delete. */
export function timestampOfValueAndTimestamp(bytes: Uint8Array | null, fallback: number): number {
  return bytes === null || bytes.length < TIMESTAMP_LENGTH ? fallback : readLong(bytes, 0);
}
