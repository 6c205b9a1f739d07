import { describe, expect, it } from 'vitest';
import { decodeProduceResponse, encodeProduceRequest, produceRequest } from './produce-request.js';

describe('encodeProduceRequest', () => {
  it('writes the v8 layout: transactional id, acks, timeout, topics, partitions, record batches', () => {
    const body = encodeProduceRequest({
      transactionalId: 'tx',
      acks: -1,
      timeoutMs: 30_000,
      topics: [{ topic: 'out', partitions: [{ partition: 2, batch: Buffer.from([0xaa, 0xbb]) }] }],
    });
    expect([...body]).toEqual([
      0, 2, 0x74, 0x78, // transactional id "tx"
      0xff, 0xff, // acks -1
      0, 0, 0x75, 0x30, // timeout 30000
      0, 0, 0, 1, 0, 3, 0x6f, 0x75, 0x74, // 1 topic "out"
      0, 0, 0, 1, 0, 0, 0, 2, // 1 partition, index 2
      0, 0, 0, 2, 0xaa, 0xbb, // records (bytes)
    ]);
  });

  it('writes a null transactional id as length -1', () => {
    const body = encodeProduceRequest({ transactionalId: null, acks: 1, timeoutMs: 1, topics: [] });
    expect([...body]).toEqual([0xff, 0xff, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('is wrapped as Produce (key 0) version 8 for kafkajs\' connection', async () => {
    const { request } = produceRequest({ transactionalId: null, acks: -1, timeoutMs: 1, topics: [] });
    expect([request.apiKey, request.apiVersion, request.apiName]).toEqual([0, 8, 'Produce']);
    expect((await request.encode()).buffer.length).toBe(12);
  });
});

describe('decodeProduceResponse', () => {
  it('reads offsets, error codes, record errors and the error message', () => {
    const payload = Buffer.from([
      0, 0, 0, 1, 0, 3, 0x6f, 0x75, 0x74, // 1 topic "out"
      0, 0, 0, 2, // 2 partitions
      0, 0, 0, 0, 0, 0, // partition 0, no error
      0, 0, 0, 0, 0, 0, 0x01, 0x00, // base offset 256
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // log append time -1
      0, 0, 0, 0, 0, 0, 0, 5, // log start offset 5
      0, 0, 0, 0, // no record errors
      0xff, 0xff, // no error message
      0, 0, 0, 1, 0, 10, // partition 1, MESSAGE_TOO_LARGE
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // base offset -1
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0, 0, 0, 1, 0, 0, 0, 3, 0, 2, 0x62, 0x61, // one record error: index 3, "ba"
      0, 3, 0x62, 0x69, 0x67, // error message "big"
      0, 0, 0, 7, // throttle 7 ms
    ]);
    expect(decodeProduceResponse(payload)).toEqual({
      topics: [{
        topic: 'out',
        partitions: [
          { partition: 0, errorCode: 0, baseOffset: 256, logAppendTimeMs: -1, logStartOffset: 5, recordErrors: [], errorMessage: null },
          { partition: 1, errorCode: 10, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [{ batchIndex: 3, message: 'ba' }], errorMessage: 'big' },
        ],
      }],
      throttleTimeMs: 7,
    });
  });
});
