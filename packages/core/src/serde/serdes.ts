import { jsonSerde } from './json-serde.js';
import { float64Serde, int32Serde, int64NumberSerde, int64Serde } from './number-serdes.js';
import { bytesSerde, stringSerde, uuidSerde, voidSerde } from './text-serdes.js';

/**
 * Ready-made serdes, byte-compatible with Java's `Serdes` (numbers big-endian). Every serde
 * maps `null` to `null` both ways (Kafka's tombstones and absent keys), and its type says so.
 * Errors are `SerializationError`s naming the serde, the topic and the fix.
 *
 * @example
 * topology.addSource('orders', { topics: ['orders'], keySerde: Serdes.string(), valueSerde: Serdes.json<Order>() });
 */
export const Serdes = Object.freeze({
  /** UTF-8 text (Java `StringSerde`). */
  string: stringSerde,
  /** UTF-8 JSON, typed `T`, optionally validated. */
  json: jsonSerde,
  /** 4-byte signed integers (Java `IntegerSerde`). */
  int32: int32Serde,
  /** 8-byte signed integers as `bigint` (Java `LongSerde`). */
  int64: int64Serde,
  /** 8-byte signed integers as `number`, refusing values beyond ±(2^53 - 1). */
  int64Number: int64NumberSerde,
  /** 8-byte IEEE 754 doubles (Java `DoubleSerde`). */
  float64: float64Serde,
  /** Raw bytes (Java `ByteArraySerde`). */
  bytes: bytesSerde,
  /** UUIDs as their 36-character text, as Java's `UUIDSerde` writes them. */
  uuid: uuidSerde,
  /** Always null (Java `VoidSerde`). */
  void: voidSerde,
});
