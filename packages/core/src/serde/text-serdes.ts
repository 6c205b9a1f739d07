import type { Serde } from './serde.js';
import { serdeError } from './serde-errors.js';

const encoder = new TextEncoder();
// Like Java's StringDeserializer, malformed UTF-8 becomes U+FFFD rather than an error.
const decoder = new TextDecoder('utf-8');
/** Below this length a JavaScript loop beats `TextEncoder` (a native call per string). */
const SHORT_TEXT = 48;

/** UTF-8 bytes of `text`; short ASCII text is encoded in JavaScript, the rest by `TextEncoder`. */
export function encodeUtf8(text: string): Uint8Array {
  const length = text.length;
  if (length > SHORT_TEXT) return encoder.encode(text);
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0x7f) return encoder.encode(text);
    bytes[index] = code;
  }
  return bytes;
}

/** Text of UTF-8 `bytes`; short ASCII is decoded in JavaScript, the rest by `TextDecoder`. */
export function decodeUtf8(bytes: Uint8Array): string {
  const length = bytes.length;
  if (length > SHORT_TEXT) return decoder.decode(bytes);
  let text = '';
  for (let index = 0; index < length; index++) {
    const byte = bytes[index] as number;
    if (byte > 0x7f) return decoder.decode(bytes);
    text += String.fromCharCode(byte);
  }
  return text;
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UTF-8 strings, as Java's `StringSerde`. `null` stays `null`. */
export function stringSerde(): Serde<string | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (typeof data !== 'string') {
        throw serdeError('string', topic, `${typeof data} is not a string`, 'Pass a string, or use a serde for this type.');
      }
      return encodeUtf8(data);
    },
    deserialize(_topic, data) {
      return data === null ? null : decodeUtf8(data);
    },
  };
}

/**
 * UUIDs in their canonical text form (36 UTF-8 bytes, lowercase), exactly as Java's `UUIDSerde`
 * writes them, so both sides read each other's records. `null` stays `null`.
 */
export function uuidSerde(): Serde<string | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (typeof data !== 'string' || !CANONICAL_UUID.test(data)) {
        throw serdeError('uuid', topic, `${JSON.stringify(data)} is not a UUID`, 'Pass the canonical form, e.g. "123e4567-e89b-12d3-a456-426614174000".');
      }
      return encoder.encode(data.toLowerCase());
    },
    deserialize(topic, data) {
      if (data === null) return null;
      const text = decoder.decode(data);
      if (!CANONICAL_UUID.test(text)) {
        throw serdeError('uuid', topic, `${JSON.stringify(text)} is not a UUID`, 'Use the serde that matches how the producer wrote this topic.');
      }
      return text.toLowerCase();
    },
  };
}

/** Raw bytes, passed through unchanged, as Java's `ByteArraySerde`. `null` stays `null`. */
export function bytesSerde(): Serde<Uint8Array | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (!(data instanceof Uint8Array)) {
        throw serdeError('bytes', topic, `${typeof data} is not a Uint8Array`, 'Pass a Uint8Array (or Buffer).');
      }
      return data;
    },
    deserialize(_topic, data) {
      return data;
    },
  };
}

/** Always `null`, as Java's `VoidSerde`: for keys or values that must be absent. */
export function voidSerde(): Serde<null> {
  return {
    serialize(topic, data) {
      if (data !== null && data !== undefined) {
        throw serdeError('void', topic, `got ${typeof data} data, but this serde only writes null`, 'Send null, or use a serde for this type.');
      }
      return null;
    },
    deserialize(topic, data) {
      if (data !== null) {
        throw serdeError('void', topic, `got ${data.byteLength} bytes, but this serde only reads null`, 'Use the serde that matches how the producer wrote this topic.');
      }
      return null;
    },
  };
}
