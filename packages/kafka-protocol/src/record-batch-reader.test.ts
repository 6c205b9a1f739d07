import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32c } from './internal/crc32c.js';
import { KafkaProtocolError } from './kafka-protocol-error.js';
import { RecordBatchBuilder, type BatchRecord } from './record-batch-builder.js';
import { readRecordBatches, type ReadRecordHeader } from './record-batch-reader.js';

const plain = { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false };

/** A batch as the broker returns it: `baseOffset` written in, optional extra attribute bits. */
function batch(baseOffset: number, records: BatchRecord[], options: { producerId?: number; transactional?: boolean; attributes?: number } = {}): Buffer {
  const builder = new RecordBatchBuilder(64);
  for (const record of records) builder.append(record);
  const bytes = Buffer.from(builder.close({ ...plain, producerId: options.producerId ?? -1, transactional: options.transactional ?? false }));
  bytes.writeBigInt64BE(BigInt(baseOffset), 0);
  if (options.attributes !== undefined) bytes.writeInt16BE(bytes.readInt16BE(21) | options.attributes, 21);
  return withCrc(bytes);
}

/** Writes the batch's CRC-32C again after its bytes were changed (as a broker would have it). */
function withCrc(bytes: Buffer): Buffer {
  bytes.writeUInt32BE(crc32c(bytes, 21, bytes.length), 17);
  return bytes;
}

const record = (key: string | null, value: string | null, timestamp = 1_000, headers: { key: string; value: Uint8Array | null }[] = []): BatchRecord => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers,
  timestamp,
});

interface Read {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: readonly ReadRecordHeader[];
}

function read(bytes: Buffer, fromOffset = 0, aborted: { producerId: number; firstOffset: number }[] = []) {
  return readRecordBatches<Read>(bytes, fromOffset, aborted, (offset, timestamp, source, keyStart, keyLength, valueStart, valueLength, headers) => ({
    offset,
    timestamp,
    key: keyLength < 0 ? null : source.toString('utf8', keyStart, keyStart + keyLength),
    value: valueLength < 0 ? null : source.toString('utf8', valueStart, valueStart + valueLength),
    headers,
  }));
}

/** A control batch holding one marker record (type 0 abort, 1 commit). */
function marker(offset: number, producerId: number, type: 0 | 1): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(type, 2);
  return batch(offset, [{ key, value: Buffer.alloc(6), headers: [], timestamp: 5 }], { producerId, transactional: true, attributes: 0x20 });
}

describe('readRecordBatches', () => {
  it('reads offsets, timestamps, null and empty keys and values, and headers', () => {
    const bytes = Buffer.concat([
      batch(10, [record('a', '1', 1_000), record(null, '2', 1_005, [{ key: 'h', value: Buffer.from('x') }, { key: 'n', value: null }])]),
      batch(12, [record('', null, 2_000)]),
    ]);
    const { records, nextOffset } = read(bytes);
    expect(records).toEqual([
      { offset: 10, timestamp: 1_000, key: 'a', value: '1', headers: [] },
      { offset: 11, timestamp: 1_005, key: null, value: '2', headers: [{ key: 'h', value: Buffer.from('x') }, { key: 'n', value: null }] },
      { offset: 12, timestamp: 2_000, key: '', value: null, headers: [] },
    ]);
    expect(nextOffset).toBe(13);
  });

  it('skips records before the fetch offset and ignores a trailing partial batch', () => {
    const whole = batch(0, [record('a', '1'), record('b', '2'), record('c', '3')]);
    const cut = batch(3, [record('d', '4')]).subarray(0, 30);
    const { records, nextOffset } = read(Buffer.concat([whole, cut]), 1);
    expect(records.map((entry) => entry.key)).toEqual(['b', 'c']);
    expect(nextOffset).toBe(3);
    expect(read(cut).nextOffset).toBeUndefined();
  });

  it('uses the batch max timestamp for log-append-time topics', () => {
    const bytes = batch(0, [record('a', '1', 100), record('b', '2', 300)], { attributes: 0x08 });
    expect(read(bytes).records.map((entry) => entry.timestamp)).toEqual([300, 300]);
  });

  it('drops aborted transactions and control batches, keeps committed ones (read_committed)', () => {
    const bytes = Buffer.concat([
      batch(0, [record('aborted', '1')], { producerId: 7, transactional: true }),
      marker(1, 7, 0),
      batch(2, [record('committed', '2')], { producerId: 8, transactional: true }),
      marker(3, 8, 1),
      batch(4, [record('after-abort', '3')], { producerId: 7, transactional: true }),
    ]);
    const { records, nextOffset } = read(bytes, 0, [{ producerId: 7, firstOffset: 0 }]);
    expect(records.map((entry) => entry.key)).toEqual(['committed', 'after-abort']);
    expect(nextOffset).toBe(5);
  });

  it('reads gzip batches', () => {
    const uncompressed = batch(5, [record('a', 'hello'), record('b', 'world')]);
    const compressed = gzipSync(uncompressed.subarray(61));
    const bytes = Buffer.concat([uncompressed.subarray(0, 61), compressed]);
    bytes.writeInt32BE(bytes.length - 12, 8);
    bytes.writeInt16BE(bytes.readInt16BE(21) | 1, 21);
    withCrc(bytes);
    expect(read(bytes).records.map((entry) => `${entry.offset}:${entry.key}=${entry.value}`)).toEqual(['5:a=hello', '6:b=world']);
  });

  it('refuses a batch whose CRC-32C does not match its bytes, naming its offset', () => {
    const good = batch(0, [record('a', '1')]);
    expect(read(good).records).toHaveLength(1);
    const corrupt = batch(40, [record('a', '1')]);
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
    expect(() => read(Buffer.concat([good, corrupt]))).toThrow(/batch at offset 40 fails its CRC-32C check/);
  });

  it('names an undefined codec and an old message format', () => {
    expect(() => read(batch(0, [record('a', '1')], { attributes: 5 }))).toThrow(KafkaProtocolError);
    expect(() => read(batch(0, [record('a', '1')], { attributes: 5 }))).toThrow(/codec 5, which Kafka does not define/);
    const old = batch(0, [record('a', '1')]);
    old.writeInt8(1, 16);
    expect(() => read(old)).toThrow(/message format v1/);
  });
});
