/** Unsigned byte-wise order (kept here so the kit does not depend on any backend). */
export function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Readable form for assertions: `[1, 255]` → `"01ff"`. */
export function hex(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

export function fromHex(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'hex'));
}

/** Drains an iterator into `[keyHex, valueHex]` pairs (and closes it). */
export function drain(iterator: Iterable<{ key: Uint8Array; value: Uint8Array }> & { close(): void }): [string, string][] {
  try {
    return [...iterator].map(({ key, value }) => [hex(key), hex(value)]);
  } finally {
    iterator.close();
  }
}

/** Only the keys of {@link drain}. */
export function drainKeys(iterator: Iterable<{ key: Uint8Array; value: Uint8Array }> & { close(): void }): string[] {
  return drain(iterator).map(([key]) => key);
}
