import { concatBytes, longBytes, readLong, writeInt } from './bytes.js';

const LENGTH_BYTES = 4;
const TIMESTAMP_BYTES = 8;

/**
 * Keys and values of a versioned store in one ordered bytes store. Every version is an entry
 * `4-byte key length + key + 8-byte valid-from timestamp` (big-endian), so the versions of a key
 * are adjacent and in time order, and a version is valid until the next one's timestamp. The
 * value is one flag byte (1 = value, 0 = tombstone) then the value's bytes. The length prefix
 * keeps a key's versions apart from longer keys that start with the same bytes.
 */
export const VersionedKeySchema = {
  /** The prefix shared by every version of `key`. */
  prefix(key: Uint8Array): Uint8Array {
    const prefix = new Uint8Array(LENGTH_BYTES + key.length);
    writeInt(prefix, 0, key.length);
    prefix.set(key, LENGTH_BYTES);
    return prefix;
  },

  versionKey(key: Uint8Array, validFromMs: number): Uint8Array {
    return concatBytes(VersionedKeySchema.prefix(key), longBytes(validFromMs));
  },

  validFromOf(versionKey: Uint8Array): number {
    return readLong(versionKey, versionKey.length - TIMESTAMP_BYTES);
  },

  encodeValue(value: Uint8Array | null): Uint8Array {
    if (value === null) return new Uint8Array([0]);
    const bytes = new Uint8Array(1 + value.length);
    bytes[0] = 1;
    bytes.set(value, 1);
    return bytes;
  },

  /** The value bytes of a version, or `null` for a tombstone. */
  decodeValue(bytes: Uint8Array): Uint8Array | null {
    return bytes[0] === 1 ? bytes.subarray(1) : null;
  },

  /** A changelog record's value: 8-byte timestamp then the encoded value (restore needs the time). */
  changelogValue(validFromMs: number, value: Uint8Array | null): Uint8Array {
    return concatBytes(longBytes(validFromMs), VersionedKeySchema.encodeValue(value));
  },

  fromChangelogValue(bytes: Uint8Array): { validFromMs: number; value: Uint8Array | null } {
    return { validFromMs: readLong(bytes, 0), value: VersionedKeySchema.decodeValue(bytes.subarray(TIMESTAMP_BYTES)) };
  },
} as const;
