import type { Headers } from '../processor/headers.js';

/** Turns a value into bytes. `null`/`undefined` values may map to `null` (tombstones). */
export interface Serializer<T> {
  serialize(topic: string, data: T, headers?: Headers): Uint8Array | null;
}

/** Turns bytes back into a value; throws on malformed input. */
export interface Deserializer<T> {
  deserialize(topic: string, data: Uint8Array | null, headers?: Headers): T;
}

/** A serializer and deserializer pair. Custom serdes are plain objects of this shape. */
export interface Serde<T> extends Serializer<T>, Deserializer<T> {}
