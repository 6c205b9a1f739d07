const TWO_POW_32 = 2 ** 32;

/** UTF-8 byte length of a string (fast path for ASCII). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Bytes a zig-zag varint (Kafka's `varint`/`varlong`) takes for a safe integer. */
export function varintSize(value: number): number {
  let unsigned = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (unsigned >= 128) {
    unsigned = Math.floor(unsigned / 128);
    size++;
  }
  return size;
}

/** Bytes an unsigned varint takes. */
export function unsignedVarintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/**
 * A growable big-endian byte writer for Kafka's wire types. One Buffer, doubled when full;
 * `finish()` returns a view of what was written (no copy).
 */
export class ByteWriter {
  buffer: Buffer;
  offset = 0;

  /**
   * @param initialSize bytes allocated up front
   * @param expectedSize doubling stops here (then grows only to what is needed), so a batch
   * that ends just past its size target does not double its memory
   */
  constructor(initialSize = 1024, readonly expectedSize = Infinity) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /** Makes room for `size` more bytes. */
  ensure(size: number): void {
    const needed = this.offset + size;
    if (needed <= this.buffer.length) return;
    let length = this.buffer.length * 2;
    while (length < needed) length *= 2;
    if (length > this.expectedSize) length = Math.max(this.expectedSize, needed + (needed >> 3));
    const grown = Buffer.allocUnsafe(length);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  int8(value: number): this {
    this.ensure(1);
    this.buffer[this.offset++] = value & 0xff;
    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.offset = this.buffer.writeInt16BE(value, this.offset);
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
    return this;
  }

  uint32(value: number): this {
    this.ensure(4);
    this.offset = this.buffer.writeUInt32BE(value, this.offset);
    return this;
  }

  /** A signed 64-bit integer given as a safe JavaScript integer. */
  int64(value: number): this {
    this.ensure(8);
    writeInt64At(this.buffer, this.offset, value);
    this.offset += 8;
    return this;
  }

  /** Zig-zag varint (Kafka `varint` and `varlong` for safe integers). */
  varint(value: number): this {
    return this.unsignedVarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  unsignedVarint(value: number): this {
    this.ensure(10);
    const buffer = this.buffer;
    while (value >= 128) {
      buffer[this.offset++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    buffer[this.offset++] = value;
    return this;
  }

  /** Raw bytes. */
  bytes(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  /** UTF-8 text without a length prefix. */
  utf8(text: string, byteLength: number): this {
    this.ensure(byteLength);
    this.offset += this.buffer.write(text, this.offset, 'utf8');
    return this;
  }

  /** Kafka `STRING` / `NULLABLE_STRING`: int16 length (-1 for null), UTF-8. */
  string(text: string | null): this {
    if (text === null) return this.int16(-1);
    const length = utf8Length(text);
    return this.int16(length).utf8(text, length);
  }

  /** Kafka `COMPACT_STRING` / `COMPACT_NULLABLE_STRING`: unsigned varint length + 1 (0 for null). */
  compactString(text: string | null): this {
    if (text === null) return this.unsignedVarint(0);
    const length = utf8Length(text);
    return this.unsignedVarint(length + 1).utf8(text, length);
  }

  /** An empty tagged-fields section (flexible versions). */
  emptyTaggedFields(): this {
    return this.unsignedVarint(0);
  }

  /** What was written so far, as a view of the internal buffer. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}

/** Writes a safe integer as a big-endian int64 at `offset`. */
export function writeInt64At(buffer: Buffer, offset: number, value: number): void {
  if (value >= 0) {
    buffer.writeUInt32BE(Math.floor(value / TWO_POW_32), offset);
    buffer.writeUInt32BE(value >>> 0, offset + 4);
  } else {
    buffer.writeBigInt64BE(BigInt(value), offset);
  }
}
