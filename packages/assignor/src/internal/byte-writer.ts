const textEncoder = new TextEncoder();

/** Big-endian binary writer (Java's `DataOutputStream` layout) that grows as it writes. */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  int8(value: number): this {
    this.reserve(1).view.setInt8(this.length, value);
    this.length += 1;
    return this;
  }

  int32(value: number): this {
    this.reserve(4).view.setInt32(this.length, value);
    this.length += 4;
    return this;
  }

  int64(value: number): this {
    this.reserve(8).view.setBigInt64(this.length, BigInt(value));
    this.length += 8;
    return this;
  }

  /** Raw bytes, no length prefix. */
  bytes(value: Uint8Array): this {
    this.reserve(value.length).buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** UTF-8 text with an int32 byte-length prefix. */
  string(value: string): this {
    const encoded = textEncoder.encode(value);
    return this.int32(encoded.length).bytes(encoded);
  }

  /** An int32 count, then each item written by `write`. */
  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }

  /** The bytes written so far (a copy). */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(size: number): this {
    if (this.length + size <= this.buffer.length) return this;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + size));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
    return this;
  }
}
