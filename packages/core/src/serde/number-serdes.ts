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
      scratchView.setBigInt64(0, BigInt(data));
      return scratch.slice(0, 8);
    },
    deserialize(topic, data) {
      if (data === null) return null;
      expectLength('int64Number', topic, data, 8);
      const value = load(data).getBigInt64(0);
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw serdeError('int64Number', topic, `${value} does not fit a JavaScript number exactly`, 'Use Serdes.int64() to read it as a bigint.');
      }
      return Number(value);
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
