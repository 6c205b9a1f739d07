/**
 * Unsigned byte-wise comparison, shorter-is-smaller on a common prefix: LMDB's default key
 * order and the order of every kstreams backend.
 */
export function compareBytes(left: Uint8Array, right: Uint8Array): number {
  return Buffer.compare(asBuffer(left), asBuffer(right));
}

/** A `Buffer` view over the same memory (no copy) so lmdb-js and `Buffer.compare` accept it. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A private copy of `bytes`, so later changes by the caller do not reach the store. */
export function copyBytes(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes);
}

/** True when `bytes` begins with every byte of `prefix`. */
export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  return asBuffer(bytes).subarray(0, prefix.length).equals(asBuffer(prefix));
}

/**
 * The greatest key that starts with `prefix` can be arbitrarily long, so prefix scans use
 * this exclusive upper bound instead: the prefix with trailing `0xff` bytes dropped and its last
 * byte incremented. `undefined` when no bound exists (an empty or all-`0xff` prefix).
 */
export function prefixUpperBound(prefix: Uint8Array): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const bound = Buffer.from(prefix.subarray(0, end));
  bound[end - 1] = (bound[end - 1] as number) + 1;
  return bound;
}

/**
 * A plain `Uint8Array` view (no copy) of bytes handed to callers: the contract promises
 * `Uint8Array`, and a `Buffer` would differ from one in deep equality checks.
 */
export function asPlainBytes(bytes: Uint8Array): Uint8Array {
  return Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
}
