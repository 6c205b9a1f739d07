import { TaskAssignmentError } from '../assignment-error.js';

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** Big-endian binary reader over one message; every read checks the bounds and names `what`. */
export class ByteReader {
  private readonly view: DataView;
  private position = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  int8(): number {
    const value = this.view.getInt8(this.claim(1));
    return value;
  }

  int32(): number {
    return this.view.getInt32(this.claim(4));
  }

  int64(): number {
    const value = this.view.getBigInt64(this.claim(8));
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new TaskAssignmentError(`Cannot decode ${this.what}: the 64-bit value ${value} is beyond JavaScript's safe integer range.`);
    }
    return Number(value);
  }

  string(): string {
    const length = this.count();
    const start = this.claim(length);
    try {
      return textDecoder.decode(this.data.subarray(start, start + length));
    } catch (error) {
      throw new TaskAssignmentError(`Cannot decode ${this.what}: a string at byte ${start} is not valid UTF-8.`, { cause: error });
    }
  }

  /** An int32 count, then that many items read by `read`. */
  array<T>(read: () => T): T[] {
    const count = this.count();
    const items: T[] = [];
    for (let index = 0; index < count; index++) items.push(read());
    return items;
  }

  /** Fails unless every byte was read: trailing bytes mean a wrong version or a corrupt message. */
  end(): void {
    if (this.position !== this.data.length) {
      throw new TaskAssignmentError(
        `Cannot decode ${this.what}: ${this.data.length - this.position} unexpected trailing bytes after byte ${this.position}.`,
      );
    }
  }

  private count(): number {
    const count = this.int32();
    if (count < 0 || count > this.data.length - this.position) {
      throw new TaskAssignmentError(`Cannot decode ${this.what}: length ${count} at byte ${this.position - 4} exceeds the message.`);
    }
    return count;
  }

  private claim(size: number): number {
    const start = this.position;
    if (start + size > this.data.length) {
      throw new TaskAssignmentError(
        `Cannot decode ${this.what}: it ends at byte ${this.data.length} but ${size} more bytes are needed at byte ${start} (truncated or not this format).`,
      );
    }
    this.position += size;
    return start;
  }
}
