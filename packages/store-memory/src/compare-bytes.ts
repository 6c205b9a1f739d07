/**
 * Compares two byte arrays as unsigned bytes, shorter-is-smaller on a common prefix: the key
 * order of every kstreams store backend (and of RocksDB and LMDB).
 *
 * @returns a negative number when `left` sorts first, `0` when equal, a positive number otherwise.
 * @example
 * compareBytes(Uint8Array.of(0x01), Uint8Array.of(0x01, 0x00)); // < 0
 * compareBytes(Uint8Array.of(0xff), Uint8Array.of(0x7f));       // > 0
 */
export function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = left.length < right.length ? left.length : right.length;
  for (let index = 0; index < length; index++) {
    // Typed array elements are unsigned (0..255), so a subtraction orders them correctly.
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** True when `bytes` begins with every byte of `prefix` (an empty prefix matches everything). */
export function startsWithBytes(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let index = 0; index < prefix.length; index++) {
    if (bytes[index] !== prefix[index]) return false;
  }
  return true;
}

/**
 * The smallest key greater than every key that starts with `prefix`, or `undefined` when no
 * such key exists (the prefix is empty or all `0xff`). Trailing `0xff` bytes are dropped and
 * the last remaining byte is incremented: `[0x01, 0xff]` → `[0x02]`.
 */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  // A fresh copy: `Buffer#slice` would return a view and the increment would change the caller's prefix.
  const bound = new Uint8Array(end);
  bound.set(prefix.subarray(0, end));
  bound[end - 1] = (bound[end - 1] as number) + 1;
  return bound;
}
