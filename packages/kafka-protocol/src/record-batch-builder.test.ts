import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c } from './internal/crc32c.js';
import { RecordBatchBuilder, type BatchRecord } from './record-batch-builder.js';

const require = createRequire(import.meta.url);
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<{
  firstSequence: number; producerId: string; producerEpoch: number; inTransaction: boolean; lastOffsetDelta: number; firstTimestamp: string; maxTimestamp: string;
  records: { key: Buffer | null; value: Buffer | null; timestamp: string; offset: string; headers: Record<string, Buffer | Buffer[] | null> }[];
}>;
const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (options: object) => Promise<{ buffer: Buffer }> };
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (options: object) => unknown;

const identity = { producerId: 4242, producerEpoch: 3, baseSequence: 17, transactional: true };

function build(records: BatchRecord[]): Buffer {
  const builder = new RecordBatchBuilder(64);
  for (const record of records) builder.append(record);
  return builder.close(identity);
}

describe('RecordBatchBuilder', () => {
  it('writes the v2 header fields at their offsets and the CRC-32C over attributes..end', () => {
    const bytes = build([{ key: Buffer.from('k'), value: Buffer.from('v'), headers: [], timestamp: 1_700_000_000_000 }]);
    expect(bytes.readBigInt64BE(0)).toBe(0n); // base offset
    expect(bytes.readInt32BE(8)).toBe(bytes.length - 12); // batch length
    expect(bytes.readInt32BE(12)).toBe(-1); // partition leader epoch
    expect(bytes[16]).toBe(2); // magic
    expect(bytes.readUInt32BE(17)).toBe(crc32c(bytes, 21, bytes.length));
    expect(bytes.readInt16BE(21)).toBe(0x10); // transactional, uncompressed, CreateTime
    expect(bytes.readInt32BE(23)).toBe(0); // last offset delta
    expect(bytes.readBigInt64BE(27)).toBe(1_700_000_000_000n);
    expect(bytes.readBigInt64BE(35)).toBe(1_700_000_000_000n);
    expect(bytes.readBigInt64BE(43)).toBe(4242n);
    expect(bytes.readInt16BE(51)).toBe(3);
    expect(bytes.readInt32BE(53)).toBe(17);
    expect(bytes.readInt32BE(57)).toBe(1);
    // record: length 8 (zig-zag 16), attributes 0, timestamp delta 0, offset delta 0, key "k", value "v", no headers
    expect([...bytes.subarray(61)]).toEqual([16, 0, 0, 0, 2, 0x6b, 2, 0x76, 0]);
  });

  it('is byte-identical to kafkajs\' encoder for the same records', async () => {
    const records: BatchRecord[] = [
      { key: Buffer.from('a'), value: Buffer.from('first'), headers: [{ key: 'trace', value: Buffer.from('x') }], timestamp: 1000 },
      { key: null, value: Buffer.alloc(300, 7), headers: [], timestamp: 900 },
      { key: Buffer.from('c'), value: null, headers: [{ key: 'h', value: Buffer.from('') }], timestamp: 5000 },
    ];
    const ours = build(records);
    const theirs = await kafkajsRecordBatch({
      firstTimestamp: 1000,
      maxTimestamp: 5000,
      partitionLeaderEpoch: -1,
      lastOffsetDelta: 2,
      transactional: true,
      producerId: 4242,
      producerEpoch: 3,
      firstSequence: 17,
      records: records.map((record, index) => kafkajsRecord({
        offsetDelta: index,
        timestampDelta: record.timestamp - 1000,
        key: record.key,
        value: record.value,
        headers: Object.fromEntries([...record.headers].map((header) => [header.key, header.value])),
      })),
    });
    expect(ours.equals(theirs.buffer)).toBe(true);
  });

  it('decodes with kafkajs\' decoder: keys, values, nulls, headers, timestamps, offsets, producer fields', async () => {
    const bytes = build([
      { key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [{ key: 'a', value: Buffer.from('1') }, { key: 'a', value: Buffer.from('2') }], timestamp: 2_000 },
      { key: null, value: null, headers: [], timestamp: 1_500 },
      { key: Buffer.from('ü'), value: Buffer.alloc(70_000, 1), headers: [{ key: 'ключ', value: Buffer.from('значение') }], timestamp: 9_000_000_000_000 },
    ]);
    const batch = await decodeKafkajsBatch(new KafkajsDecoder(bytes));
    expect({ producerId: batch.producerId, producerEpoch: batch.producerEpoch, firstSequence: batch.firstSequence, inTransaction: batch.inTransaction, lastOffsetDelta: batch.lastOffsetDelta })
      .toEqual({ producerId: '4242', producerEpoch: 3, firstSequence: 17, inTransaction: true, lastOffsetDelta: 2 });
    expect(batch.maxTimestamp).toBe('9000000000000');
    const [first, second, third] = batch.records;
    expect(first?.key?.toString()).toBe('k1');
    expect(first?.headers).toEqual({ a: [Buffer.from('1'), Buffer.from('2')] });
    expect([first?.timestamp, second?.timestamp, third?.timestamp]).toEqual(['2000', '1500', '9000000000000']);
    expect([second?.key, second?.value]).toEqual([null, null]);
    expect(third?.key?.toString()).toBe('ü');
    expect(third?.value?.length).toBe(70_000);
    expect(third?.headers).toEqual({ ключ: Buffer.from('значение') });
    expect(batch.records.map((record) => record.offset)).toEqual(['0', '1', '2']);
  });

  it('refuses to append after close and to close an empty batch', () => {
    const empty = new RecordBatchBuilder();
    expect(() => empty.close(identity)).toThrow(/empty batch/);
    const builder = new RecordBatchBuilder();
    builder.append({ key: null, value: null, headers: [], timestamp: 0 });
    builder.close(identity);
    expect(() => builder.append({ key: null, value: null, headers: [], timestamp: 0 })).toThrow(/after close/);
  });
});
