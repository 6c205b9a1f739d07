import { KafkaProtocolError } from './kafka-protocol-error.js';
import { crc32c } from './internal/crc32c.js';
import type { FetchAbortedTransaction } from './fetch-request.js';
import { decompressRecords } from './internal/decompress.js';

/** One record header as read from a batch. */
export interface ReadRecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/**
 * Builds the caller's record from one committed data record. Key and value are given as places
 * in `bytes` (a length of -1 is null), so the caller decides when to make views of them (e.g.
 * only once the record is processed: fewer objects live while records wait in buffers); header
 * values are views into the fetched bytes.
 */
export type ReadRecordFactory<R> = (
  offset: number,
  timestamp: number,
  bytes: Buffer,
  keyStart: number,
  keyLength: number,
  valueStart: number,
  valueLength: number,
  headers: readonly ReadRecordHeader[],
) => R;

/** What {@link readRecordBatches} found. */
export interface ReadRecordBatches<R> {
  readonly records: R[];
  /** The offset after the last whole batch read; `undefined` when no whole batch was there. */
  readonly nextOffset: number | undefined;
}

const TWO_POW_32 = 2 ** 32;
/** baseOffset .. recordCount. */
const BATCH_HEADER_SIZE = 61;
const COMPRESSION_MASK = 0x07;
const LOG_APPEND_TIME = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const NO_HEADERS: readonly ReadRecordHeader[] = [];

function int64(buffer: Buffer, offset: number): number {
  return buffer.readInt32BE(offset) * TWO_POW_32 + buffer.readUInt32BE(offset + 4);
}

/**
 * Reads the RecordBatch v2 batches of one fetched partition as a read_committed Java consumer
 * does: records before `fromOffset` are skipped, control batches and the batches of aborted
 * transactions are dropped, a trailing partial batch (cut by the fetch size) is ignored, and
 * `nextOffset` is the end of the last whole batch (so offsets of markers and compacted-away
 * records are passed over). Every whole batch's CRC-32C is checked (Java's `check.crcs=true`);
 * a mismatch is an error. Batches of every Kafka codec are read (none, gzip, snappy, lz4, zstd,
 * as Java's consumer does); a message format older than v2 is an error naming it.
 */
export function readRecordBatches<R>(bytes: Buffer, fromOffset: number, abortedTransactions: readonly FetchAbortedTransaction[], toRecord: ReadRecordFactory<R>): ReadRecordBatches<R> {
  const pendingAborts = abortedTransactions.length === 0 ? [] : [...abortedTransactions].sort((left, right) => left.firstOffset - right.firstOffset);
  const abortedProducers = new Set<number>();
  const records: R[] = [];
  let nextOffset: number | undefined;
  let position = 0;
  while (position + BATCH_HEADER_SIZE <= bytes.length) {
    const baseOffset = int64(bytes, position);
    const batchEnd = position + 12 + bytes.readInt32BE(position + 8);
    if (batchEnd > bytes.length) break;
    const magic = bytes.readInt8(position + 16);
    if (magic !== 2) {
      throw new KafkaProtocolError(`A fetched batch at offset ${baseOffset} has message format v${magic}; only v2 (Kafka 0.11+) is read. Rewrite the topic with a current producer.`);
    }
    const storedCrc = bytes.readUInt32BE(position + 17);
    const computedCrc = crc32c(bytes, position + 21, batchEnd);
    if (storedCrc !== computedCrc) {
      throw new KafkaProtocolError(
        `A fetched batch at offset ${baseOffset} fails its CRC-32C check (stored ${storedCrc}, computed ${computedCrc}): the record data is corrupt. Check the broker's log segment and the network path.`,
      );
    }
    const attributes = bytes.readInt16BE(position + 21);
    const lastOffset = baseOffset + bytes.readInt32BE(position + 23);
    const baseTimestamp = int64(bytes, position + 27);
    const maxTimestamp = int64(bytes, position + 35);
    const producerId = int64(bytes, position + 43);
    const recordCount = bytes.readInt32BE(position + 57);
    nextOffset = lastOffset + 1;
    while (pendingAborts.length > 0 && (pendingAborts[0] as FetchAbortedTransaction).firstOffset <= lastOffset) abortedProducers.add((pendingAborts.shift() as FetchAbortedTransaction).producerId);
    const body = position + BATCH_HEADER_SIZE;
    position = batchEnd;
    if ((attributes & CONTROL) !== 0) {
      // A control batch holds one marker: key = version int16, type int16 (0 abort, 1 commit).
      if (isAbortMarker(bytes, body, batchEnd)) abortedProducers.delete(producerId);
      continue;
    }
    if ((attributes & TRANSACTIONAL) !== 0 && abortedProducers.has(producerId)) continue;
    if (lastOffset < fromOffset) continue;
    const compression = attributes & COMPRESSION_MASK;
    const recordBytes = compression === 0 ? bytes.subarray(body, batchEnd) : decompress(compression, bytes.subarray(body, batchEnd), baseOffset);
    const batch = { baseOffset, baseTimestamp, logAppendTime: (attributes & LOG_APPEND_TIME) !== 0 ? maxTimestamp : undefined };
    readRecords(recordBytes, recordCount, batch, fromOffset, toRecord, records);
  }
  return { records, nextOffset };
}

function isAbortMarker(bytes: Buffer, body: number, batchEnd: number): boolean {
  const cursor = { buffer: bytes, position: body };
  if (body >= batchEnd) return false;
  varint(cursor); // record length
  cursor.position += 1; // attributes
  varint(cursor); // timestamp delta
  varint(cursor); // offset delta
  const keyLength = varint(cursor);
  return keyLength >= 4 && bytes.readInt16BE(cursor.position + 2) === 0;
}

function decompress(codec: number, data: Buffer, baseOffset: number): Buffer {
  return decompressRecords(codec, data, baseOffset);
}

interface Cursor {
  buffer: Buffer;
  position: number;
}

/** A zigzag varint (Kafka's signed VARINT / VARLONG; exact up to 2^53). */
function varint(cursor: Cursor): number {
  const buffer = cursor.buffer;
  let value = 0;
  let factor = 1;
  for (;;) {
    const byte = buffer[cursor.position++];
    if (byte === undefined) throw new KafkaProtocolError('A fetched record batch ends inside a varint; the response is corrupt.');
    value += (byte & 0x7f) * factor;
    if (byte < 128) break;
    factor *= 128;
  }
  // Zigzag: even → value / 2, odd → -(value + 1) / 2.
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

function readRecords<R>(
  bytes: Buffer,
  count: number,
  batch: { baseOffset: number; baseTimestamp: number; logAppendTime: number | undefined },
  fromOffset: number,
  toRecord: ReadRecordFactory<R>,
  into: R[],
): void {
  const cursor: Cursor = { buffer: bytes, position: 0 };
  for (let index = 0; index < count && cursor.position < bytes.length; index++) {
    const length = varint(cursor);
    const end = cursor.position + length;
    cursor.position += 1; // attributes (unused)
    const timestampDelta = varint(cursor);
    const offset = batch.baseOffset + varint(cursor);
    if (offset < fromOffset) {
      cursor.position = end;
      continue;
    }
    const keyLength = varint(cursor);
    const keyStart = cursor.position;
    if (keyLength > 0) cursor.position += keyLength;
    const valueLength = varint(cursor);
    const valueStart = cursor.position;
    if (valueLength > 0) cursor.position += valueLength;
    const headerCount = varint(cursor);
    let headers = NO_HEADERS;
    if (headerCount > 0) {
      const list: ReadRecordHeader[] = [];
      for (let header = 0; header < headerCount; header++) {
        const keyLength = varint(cursor);
        const headerKey = bytes.toString('utf8', cursor.position, cursor.position + keyLength);
        cursor.position += keyLength;
        list.push({ key: headerKey, value: bytesField(cursor) });
      }
      headers = list;
    }
    cursor.position = end;
    into.push(toRecord(offset, batch.logAppendTime ?? batch.baseTimestamp + timestampDelta, bytes, keyStart, keyLength, valueStart, valueLength, headers));
  }
}

function bytesField(cursor: Cursor): Buffer | null {
  const length = varint(cursor);
  if (length < 0) return null;
  const start = cursor.position;
  cursor.position += length;
  return cursor.buffer.subarray(start, start + length);
}
