import { SerializationError, type Serde } from '@kstreams/core';

/** The key of a pending left/outer join record: its timestamp first, so a scan is in time order. */
export interface TimestampedKeyAndSide<K> {
  readonly timestampMs: number;
  readonly leftSide: boolean;
  readonly key: K;
}

/** A pending record's value, from one side of the join. */
export interface LeftOrRightValue<VL, VR> {
  readonly left: VL | null;
  readonly right: VR | null;
}

const HEADER = 9;

/**
 * As Kafka Streams' `TimestampedKeyAndJoinSideSerializer`: 8-byte big-endian timestamp, one
 * byte for the side (1 = left), then the key's bytes.
 */
export function timestampedKeyAndSideSerde<K>(keySerde: Serde<K>): Serde<TimestampedKeyAndSide<K>> {
  return {
    serialize(topic, data) {
      const key = keySerde.serialize(topic, data.key);
      if (key === null) throw new SerializationError(`Outer join store: the key serializer returned null for topic "${topic}".`);
      const bytes = new Uint8Array(HEADER + key.length);
      const view = new DataView(bytes.buffer);
      view.setBigInt64(0, BigInt(data.timestampMs));
      bytes[8] = data.leftSide ? 1 : 0;
      bytes.set(key, HEADER);
      return bytes;
    },
    deserialize(topic, data) {
      const view = new DataView((data as Uint8Array).buffer, (data as Uint8Array).byteOffset, (data as Uint8Array).byteLength);
      const bytes = data as Uint8Array;
      return { timestampMs: Number(view.getBigInt64(0)), leftSide: bytes[8] === 1, key: keySerde.deserialize(topic, bytes.subarray(HEADER)) };
    },
  };
}

/** As Kafka Streams' `LeftOrRightValueSerializer`: one byte for the side, then that side's value bytes. */
export function leftOrRightValueSerde<VL, VR>(leftSerde: Serde<VL>, rightSerde: Serde<VR>): Serde<LeftOrRightValue<VL, VR>> {
  return {
    serialize(topic, data) {
      const isLeft = data.left !== null;
      const value = isLeft ? leftSerde.serialize(topic, data.left as VL) : rightSerde.serialize(topic, data.right as VR);
      const bytes = new Uint8Array(1 + (value?.length ?? 0));
      bytes[0] = isLeft ? 1 : 0;
      if (value !== null) bytes.set(value, 1);
      return bytes;
    },
    deserialize(topic, data) {
      const bytes = data as Uint8Array;
      const value = bytes.subarray(1);
      return bytes[0] === 1 ? { left: leftSerde.deserialize(topic, value), right: null } : { left: null, right: rightSerde.deserialize(topic, value) };
    },
  };
}
