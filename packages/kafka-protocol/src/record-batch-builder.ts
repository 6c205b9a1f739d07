import { crc32c } from './internal/crc32c.js';
import { ByteWriter, utf8Length, varintSize, writeInt64At } from './internal/byte-writer.js';

/** One record header: a key and a binary value (`null` when it has none). */
export interface BatchRecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** A record as RecordBatch v2 stores it (partition chosen elsewhere). */
export interface BatchRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Iterable<BatchRecordHeader>;
  /** Create time, epoch milliseconds. */
  readonly timestamp: number;
}

/** The producer identity written into a batch's header when it is closed. */
export interface BatchIdentity {
  /** -1 for a non-idempotent producer. */
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Sequence of the batch's first record; -1 for a non-idempotent producer. */
  readonly baseSequence: number;
  readonly transactional: boolean;
}

/** Size of the RecordBatch v2 header: base offset up to and including the record count. */
export const RECORD_BATCH_HEADER_SIZE = 61;
const LENGTH_OFFSET = 8;
const MAGIC_OFFSET = 16;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;
const TRANSACTIONAL_ATTRIBUTE = 0x10;

/**
 * Builds one RecordBatch v2 (magic 2, uncompressed, CreateTime) record by record, as Java's
 * `MemoryRecordsBuilder` does: each record is encoded into the batch's buffer when appended;
 * {@link close} writes the header (producer id, epoch, base sequence, transactional flag) and
 * the CRC-32C over attributes..end.
 *
 * @example
 * const builder = new RecordBatchBuilder();
 * builder.append({ key: null, value: Buffer.from('hello'), headers: [], timestamp: Date.now() });
 * const bytes = builder.close({ producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false });
 */
export class RecordBatchBuilder {
  readonly #writer: ByteWriter;
  #count = 0;
  #baseTimestamp = 0;
  #maxTimestamp = 0;
  #closed: Buffer | undefined;

  /**
   * @param initialCapacity bytes allocated up front
   * @param expectedSize where the batch will likely end (the producer's batch size plus slack):
   * the buffer doubles up to it, then grows only as needed
   */
  constructor(initialCapacity = 16 * 1024, expectedSize = Infinity) {
    this.#writer = new ByteWriter(Math.max(initialCapacity, RECORD_BATCH_HEADER_SIZE + 64), expectedSize);
    this.#writer.offset = RECORD_BATCH_HEADER_SIZE;
  }

  /** Records appended so far. */
  get count(): number {
    return this.#count;
  }

  /** Encoded size so far, header included. */
  get sizeInBytes(): number {
    return this.#writer.offset;
  }

  /** Bytes `record` would add to this batch. */
  static recordSize(record: BatchRecord, offsetDelta: number, timestampDelta: number): number {
    const bodySize = recordBodySize(record, offsetDelta, timestampDelta);
    return varintSize(bodySize) + bodySize;
  }

  /** Encodes one more record into the batch; returns its offset delta. */
  append(record: BatchRecord): number {
    if (this.#closed !== undefined) throw new Error('RecordBatchBuilder.append after close(): the batch is sealed; start a new builder.');
    if (this.#count === 0) this.#baseTimestamp = this.#maxTimestamp = record.timestamp;
    else if (record.timestamp > this.#maxTimestamp) this.#maxTimestamp = record.timestamp;
    const offsetDelta = this.#count++;
    const timestampDelta = record.timestamp - this.#baseTimestamp;
    const writer = this.#writer;
    const bodySize = recordBodySize(record, offsetDelta, timestampDelta);
    writer.ensure(bodySize + 5);
    writer.varint(bodySize).int8(0).varint(timestampDelta).varint(offsetDelta);
    writeNullableBytes(writer, record.key);
    writeNullableBytes(writer, record.value);
    let headerCount = 0;
    for (const _header of record.headers) headerCount++;
    writer.varint(headerCount);
    for (const header of record.headers) {
      const keyLength = utf8Length(header.key);
      writer.varint(keyLength).utf8(header.key, keyLength);
      writeNullableBytes(writer, header.value);
    }
    return offsetDelta;
  }

  /** Seals the batch: writes its header and CRC. Idempotent; returns the batch's bytes. */
  close(identity: BatchIdentity): Buffer {
    if (this.#closed !== undefined) return this.#closed;
    if (this.#count === 0) throw new Error('RecordBatchBuilder.close() on an empty batch: Kafka rejects batches without records.');
    const buffer = this.#writer.buffer;
    const end = this.#writer.offset;
    writeInt64At(buffer, 0, 0);
    buffer.writeInt32BE(end - 12, LENGTH_OFFSET);
    buffer.writeInt32BE(-1, 12); // partition leader epoch: set by the broker
    buffer[MAGIC_OFFSET] = 2;
    buffer.writeInt16BE(identity.transactional ? TRANSACTIONAL_ATTRIBUTE : 0, ATTRIBUTES_OFFSET);
    buffer.writeInt32BE(this.#count - 1, 23);
    writeInt64At(buffer, 27, this.#baseTimestamp);
    writeInt64At(buffer, 35, this.#maxTimestamp);
    writeInt64At(buffer, 43, identity.producerId);
    buffer.writeInt16BE(identity.producerEpoch, 51);
    buffer.writeInt32BE(identity.baseSequence, 53);
    buffer.writeInt32BE(this.#count, 57);
    buffer.writeUInt32BE(crc32c(buffer, ATTRIBUTES_OFFSET, end), CRC_OFFSET);
    this.#closed = buffer.subarray(0, end);
    return this.#closed;
  }
}

function nullableBytesSize(bytes: Uint8Array | null): number {
  return bytes === null ? 1 : varintSize(bytes.length) + bytes.length;
}

function writeNullableBytes(writer: ByteWriter, bytes: Uint8Array | null): void {
  if (bytes === null) writer.varint(-1);
  else writer.varint(bytes.length).bytes(bytes);
}

function recordBodySize(record: BatchRecord, offsetDelta: number, timestampDelta: number): number {
  let size = 1 + varintSize(timestampDelta) + varintSize(offsetDelta) + nullableBytesSize(record.key) + nullableBytesSize(record.value);
  let headerCount = 0;
  for (const header of record.headers) {
    const keyLength = utf8Length(header.key);
    size += varintSize(keyLength) + keyLength + nullableBytesSize(header.value);
    headerCount++;
  }
  return size + varintSize(headerCount);
}
