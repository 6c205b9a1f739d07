import { readLong, writeLong } from './bytes.js';

const SUFFIX_LENGTH = 16;

/**
 * Composite keys of session stores, as Kafka Streams' `SessionKeySchema`: the serialized key,
 * then the 8-byte session end, then the 8-byte session start (big-endian). Sessions of one key
 * are therefore ordered by end time; stores are segmented by session end.
 */
export const SessionKeySchema = {
  suffixLength: SUFFIX_LENGTH,

  toStoreKey(key: Uint8Array, startMs: number, endMs: number): Uint8Array {
    const composite = new Uint8Array(key.length + SUFFIX_LENGTH);
    composite.set(key, 0);
    writeLong(composite, key.length, endMs);
    writeLong(composite, key.length + 8, startMs);
    return composite;
  },

  keyOf(composite: Uint8Array): Uint8Array {
    return composite.subarray(0, composite.length - SUFFIX_LENGTH);
  },

  endOf(composite: Uint8Array): number {
    return readLong(composite, composite.length - SUFFIX_LENGTH);
  },

  startOf(composite: Uint8Array): number {
    return readLong(composite, composite.length - 8);
  },
} as const;
