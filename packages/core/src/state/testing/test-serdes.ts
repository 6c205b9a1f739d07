import type { Serde } from '../../serde/serde.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Test-only UTF-8 string serde. */
export const stringSerde: Serde<string> = {
  serialize: (_topic, data) => encoder.encode(data),
  deserialize: (_topic, data) => decoder.decode(data ?? new Uint8Array()),
};

/** Test-only number serde (decimal text, so values are easy to read in failures). */
export const numberSerde: Serde<number> = {
  serialize: (_topic, data) => encoder.encode(String(data)),
  deserialize: (_topic, data) => Number(decoder.decode(data ?? new Uint8Array())),
};

/** Decodes bytes as UTF-8 (for asserting changelog keys). */
export function text(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : decoder.decode(bytes);
}
