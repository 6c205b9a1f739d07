import type { Serde } from './serde.js';
import { expectLength, serdeError } from './serde-errors.js';

// One scratch buffer for all number serdes: creating a DataView per record costs more than
// copying 4-8 bytes through a shared one (serdes run synchronously, so sharing is safe).
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);

/** The bytes of `data` in the scratch view (for the getters). */
function load(data: Uint8Array): DataView {
  scratch.set(data);
  return scratchView;
}

const TWO_TO_32 = 2 ** 32;
const SAFE_HIGH_LIMIT = 2 ** 21;

function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

function readUint32(source: Uint8Array, offset: number): number {
  return (((source[offset] as number) << 24) | ((source[offset + 1] as number) << 16) | ((source[offset + 2] as number) << 8) | (source[offset + 3] as number)) >>> 0;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** 4-byte big-endian signed integers, as Java's `IntegerSerde`. `null` stays `null`. */
export function int32Serde(): Serde<number | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (!Number.isInteger(data) || data < INT32_MIN || data > INT32_MAX) {
        throw serdeError('int32', topic, `${data} is not a 32-bit integer`, 'Use Serdes.int64() or Serdes.float64() for larger or fractional numbers.');
      }
      scratchView.setInt32(0, data);
      return scratch.slice(0, 4);
    },
    deserialize(topic, data) {
      if (data === null) return null;
      expectLength('int32', topic, data, 4);
      return load(data).getInt32(0);
    },
  };
}

/** 8-byte big-endian signed integers as `bigint`, as Java's `LongSerde`. `null` stays `null`. */
export function int64Serde(): Serde<bigint | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (typeof data !== 'bigint' || data < INT64_MIN || data > INT64_MAX) {
        throw serdeError('int64', topic, `${String(data)} is not a 64-bit bigint`, 'Pass a bigint between -(2n ** 63n) and 2n ** 63n - 1n.');
      }
      scratchView.setBigInt64(0, data);
      return scratch.slice(0, 8);
    },
    deserialize(topic, data) {
      if (data === null) return null;
      expectLength('int64', topic, data, 8);
      return load(data).getBigInt64(0);
    },
  };
}

/**
 * Java `long`s read and written as JavaScript numbers: same bytes as `int64()`, but values
 * outside ±(2^53 - 1) are refused both ways instead of silently losing precision.
 */
export function int64NumberSerde(): Serde<number | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (!Number.isSafeInteger(data)) {
        throw serdeError('int64Number', topic, `${data} is not a safe integer`, 'Use Serdes.int64() with bigint values for the full 64-bit range.');
      }
      // Two 32-bit halves (exact for safe integers, negatives included): no bigint per record.
      const high = Math.floor(data / TWO_TO_32);
      const bytes = new Uint8Array(8);
      writeUint32(bytes, 0, high >>> 0);
      writeUint32(bytes, 4, data - high * TWO_TO_32);
      return bytes;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      expectLength('int64Number', topic, data, 8);
      const high = readUint32(data, 0) | 0;
      const low = readUint32(data, 4);
      // Safe integers are -(2^53 - 1) .. 2^53 - 1: high in -2^21 .. 2^21 - 1, except -2^53 itself.
      if (high >= SAFE_HIGH_LIMIT || high < -SAFE_HIGH_LIMIT || (high === -SAFE_HIGH_LIMIT && low === 0)) {
        throw serdeError('int64Number', topic, `${load(data).getBigInt64(0)} does not fit a JavaScript number exactly`, 'Use Serdes.int64() to read it as a bigint.');
      }
      return high * TWO_TO_32 + low;
    },
  };
}

/** 8-byte big-endian IEEE 754 doubles, as Java's `DoubleSerde`. `null` stays `null`. */
export function float64Serde(): Serde<number | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (typeof data !== 'number') {
        throw serdeError('float64', topic, `${String(data)} is not a number`, 'Pass a number.');
      }
      scratchView.setFloat64(0, data);
      return scratch.slice(0, 8);
    },
    deserialize(topic, data) {
      if (data === null) return null;
      expectLength('float64', topic, data, 8);
      return load(data).getFloat64(0);
    },
  };
}
