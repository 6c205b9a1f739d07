import { describe, expect, it } from 'vitest';
import { decodeFetchResponse, encodeFetchRequest } from './fetch-request.js';

describe('encodeFetchRequest', () => {
  it('writes a consumer Fetch v4 body: replica -1, waits, sizes, isolation, topics and partitions', () => {
    const body = encodeFetchRequest({
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 50_000,
      isolationLevel: 1,
      topics: [{ topic: 'in', partitions: [{ partition: 3, fetchOffset: 2 ** 40, maxBytes: 1024 }] }],
    });
    expect(body.readInt32BE(0)).toBe(-1);
    expect(body.readInt32BE(4)).toBe(500);
    expect(body.readInt32BE(8)).toBe(1);
    expect(body.readInt32BE(12)).toBe(50_000);
    expect(body.readInt8(16)).toBe(1);
    expect(body.readInt32BE(17)).toBe(1);
    expect(body.readInt16BE(21)).toBe(2);
    expect(body.toString('utf8', 23, 25)).toBe('in');
    expect(body.readInt32BE(25)).toBe(1);
    expect(body.readInt32BE(29)).toBe(3);
    expect(body.readBigInt64BE(33)).toBe(2n ** 40n);
    expect(body.readInt32BE(41)).toBe(1024);
    expect(body.length).toBe(45);
  });
});

describe('decodeFetchResponse', () => {
  it('reads partitions, watermarks, aborted transactions and keeps the record bytes as a view', () => {
    const records = Buffer.from('batch-bytes');
    const parts: Buffer[] = [];
    const int = (bits: 16 | 32 | 64, value: number): Buffer => {
      const buffer = Buffer.alloc(bits / 8);
      if (bits === 16) buffer.writeInt16BE(value);
      else if (bits === 32) buffer.writeInt32BE(value);
      else buffer.writeBigInt64BE(BigInt(value));
      return buffer;
    };
    parts.push(int(32, 7), int(32, 1), int(16, 2), Buffer.from('in'), int(32, 2));
    parts.push(int(32, 0), int(16, 0), int(64, 100), int(64, 90), int(32, 1), int(64, 55), int(64, 80), int(32, records.length), records);
    parts.push(int(32, 1), int(16, 1), int(64, -1), int(64, -1), int(32, -1), int(32, -1));
    const payload = Buffer.concat(parts);
    const response = decodeFetchResponse(payload);
    expect(response.throttleTimeMs).toBe(7);
    const [first, second] = response.topics[0]!.partitions;
    expect(response.topics[0]!.topic).toBe('in');
    expect(first).toMatchObject({ partition: 0, errorCode: 0, highWatermark: 100, lastStableOffset: 90, abortedTransactions: [{ producerId: 55, firstOffset: 80 }] });
    expect(first!.records.toString()).toBe('batch-bytes');
    expect(first!.records.buffer).toBe(payload.buffer);
    expect(second).toMatchObject({ partition: 1, errorCode: 1, abortedTransactions: [] });
    expect(second!.records.length).toBe(0);
  });
});
