/** Byte helpers shared by the store layers (composite keys, ordering, cache keys). */

/** Unsigned byte-wise comparison, the order every backend sorts keys in. */
export function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** True when both arrays hold the same bytes. */
export function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && compareBytes(left, right) === 0;
}

/** True when `bytes` begins with `prefix`. */
export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let index = 0; index < prefix.length; index++) {
    if (bytes[index] !== prefix[index]) return false;
  }
  return true;
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/** Writes `value` as an 8-byte big-endian signed long at `offset`. */
export function writeLong(target: Uint8Array, offset: number, value: number): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setBigInt64(offset, BigInt(Math.trunc(value)));
}

/** Reads an 8-byte big-endian signed long at `offset`. */
export function readLong(source: Uint8Array, offset: number): number {
  return Number(new DataView(source.buffer, source.byteOffset, source.byteLength).getBigInt64(offset));
}

/** An 8-byte big-endian encoding of `value`. */
export function longBytes(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  writeLong(bytes, 0, value);
  return bytes;
}

/** Writes `value` as a 4-byte big-endian unsigned int at `offset`. */
export function writeInt(target: Uint8Array, offset: number, value: number): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setUint32(offset, value >>> 0);
}

/**
 * A string whose UTF-16 order equals the byte order of `bytes` (one char per byte), used as a
 * map key by caches.
 */
export function bytesToOrderedString(bytes: Uint8Array): string {
  const length = bytes.length;
  // Short keys (the common case): a loop beats building a Buffer view and a native call.
  if (length <= SHORT_KEY_BYTES) {
    let text = '';
    for (let index = 0; index < length; index++) text += String.fromCharCode(bytes[index] as number);
    return text;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Up to this many bytes, {@link bytesToOrderedString} converts in JavaScript. */
const SHORT_KEY_BYTES = 32;

/** A byte array filled with `0xff`, an upper bound for any suffix of that length. */
export function maxBytes(length: number): Uint8Array {
  return new Uint8Array(length).fill(0xff);
}
