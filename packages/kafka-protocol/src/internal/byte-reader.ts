const TWO_POW_32 = 2 ** 32;

/** A big-endian reader of Kafka's wire types over one Buffer. */
export class ByteReader {
  offset: number;

  constructor(readonly buffer: Buffer, offset = 0) {
    this.offset = offset;
  }

  int8(): number {
    const value = this.buffer.readInt8(this.offset);
    this.offset += 1;
    return value;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** An int64 as a JavaScript number (offsets and timestamps stay below 2^53). */
  int64(): number {
    const high = this.buffer.readInt32BE(this.offset);
    const low = this.buffer.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return high * TWO_POW_32 + low;
  }

  unsignedVarint(): number {
    let value = 0;
    let factor = 1;
    for (;;) {
      const byte = this.buffer[this.offset++];
      if (byte === undefined) throw new RangeError('Truncated varint in a Kafka response');
      value += (byte & 0x7f) * factor;
      if (byte < 128) return value;
      factor *= 128;
    }
  }

  /** Kafka `STRING` / `NULLABLE_STRING`. */
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    return this.#utf8(length);
  }

  /** Kafka `COMPACT_STRING` / `COMPACT_NULLABLE_STRING`. */
  compactString(): string | null {
    const length = this.unsignedVarint() - 1;
    if (length < 0) return null;
    return this.#utf8(length);
  }

  /** Skips a tagged-fields section (flexible versions); we know no tags of our own. */
  skipTaggedFields(): void {
    const count = this.unsignedVarint();
    for (let index = 0; index < count; index++) {
      this.unsignedVarint();
      this.offset += this.unsignedVarint();
    }
  }

  #utf8(length: number): string {
    const text = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }
}
