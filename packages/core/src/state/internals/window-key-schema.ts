import { readLong, writeInt, writeLong } from './bytes.js';

const TIMESTAMP_LENGTH = 8;
const SEQUENCE_LENGTH = 4;

/**
 * Composite keys of window stores, as Kafka Streams' `WindowKeySchema`: the serialized key,
 * the 8-byte big-endian window start, and (only when duplicates are retained) a 4-byte
 * sequence number that keeps equal keys apart.
 */
export class WindowKeySchema {
  readonly suffixLength: number;

  constructor(readonly retainDuplicates: boolean) {
    this.suffixLength = TIMESTAMP_LENGTH + (retainDuplicates ? SEQUENCE_LENGTH : 0);
  }

  /** The composite key of `key` in the window starting at `windowStartMs`. */
  toStoreKey(key: Uint8Array, windowStartMs: number, sequence = 0): Uint8Array {
    const composite = new Uint8Array(key.length + this.suffixLength);
    composite.set(key, 0);
    writeLong(composite, key.length, windowStartMs);
    if (this.retainDuplicates) writeInt(composite, key.length + TIMESTAMP_LENGTH, sequence);
    return composite;
  }

  /** The highest composite key of `key` at `windowStartMs` (any sequence number). */
  upperStoreKey(key: Uint8Array, windowStartMs: number): Uint8Array {
    return this.toStoreKey(key, windowStartMs, 0xffffffff);
  }

  /** The serialized key inside a composite key. */
  keyOf(composite: Uint8Array): Uint8Array {
    return composite.subarray(0, composite.length - this.suffixLength);
  }

  /** The window start inside a composite key (what the store is segmented by). */
  windowStartOf(composite: Uint8Array): number {
    return readLong(composite, composite.length - this.suffixLength);
  }
}
