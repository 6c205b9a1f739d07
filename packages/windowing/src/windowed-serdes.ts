import { SerializationError, type Serde, type Windowed } from '@kstreams/core';

const LONG_BYTES = 8;

function writeLong(target: Uint8Array, offset: number, value: number): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setBigInt64(offset, BigInt(value));
}

function readLong(source: Uint8Array, offset: number): number {
  return Number(new DataView(source.buffer, source.byteOffset, source.byteLength).getBigInt64(offset));
}

function keyBytes<K>(keySerde: Serde<K>, topic: string, key: K, what: string): Uint8Array {
  const bytes = keySerde.serialize(topic, key);
  if (bytes === null) throw new SerializationError(`${what}: the key serializer returned null for topic "${topic}"; windowed keys must not be null.`);
  return bytes;
}

/**
 * Serde of time-windowed keys, byte-compatible with Kafka Streams' `TimeWindowedSerde`: the
 * key's bytes then the 8-byte big-endian window start. The end is not written; the
 * deserializer adds `windowSizeMs` to the start, as Java's does.
 */
export function timeWindowedSerde<K>(keySerde: Serde<K>, windowSizeMs: number): Serde<Windowed<K> | null> {
  return {
    serialize(topic, data) {
      if (data === null) return null;
      const key = keyBytes(keySerde, topic, data.key, 'timeWindowedSerde');
      const bytes = new Uint8Array(key.length + LONG_BYTES);
      bytes.set(key, 0);
      writeLong(bytes, key.length, data.window.startMs);
      return bytes;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      const startMs = readLong(data, data.length - LONG_BYTES);
      return { key: keySerde.deserialize(topic, data.subarray(0, data.length - LONG_BYTES)), window: { startMs, endMs: startMs + windowSizeMs } };
    },
  };
}

/**
 * Serde of session-windowed keys, byte-compatible with Kafka Streams' `SessionWindowedSerde`:
 * the key's bytes, the 8-byte session end, then the 8-byte session start.
 */
export function sessionWindowedSerde<K>(keySerde: Serde<K>): Serde<Windowed<K> | null> {
  return {
    serialize(topic, data) {
      if (data === null) return null;
      const key = keyBytes(keySerde, topic, data.key, 'sessionWindowedSerde');
      const bytes = new Uint8Array(key.length + 2 * LONG_BYTES);
      bytes.set(key, 0);
      writeLong(bytes, key.length, data.window.endMs);
      writeLong(bytes, key.length + LONG_BYTES, data.window.startMs);
      return bytes;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      const keyLength = data.length - 2 * LONG_BYTES;
      return {
        key: keySerde.deserialize(topic, data.subarray(0, keyLength)),
        window: { startMs: readLong(data, keyLength + LONG_BYTES), endMs: readLong(data, keyLength) },
      };
    },
  };
}
