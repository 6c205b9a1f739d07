import { describe, expect, it } from 'vitest';
import { decodeTxnOffsetCommitResponse, encodeTxnOffsetCommitRequest, txnOffsetCommitRequest } from './txn-offset-commit-request.js';

describe('encodeTxnOffsetCommitRequest', () => {
  it('writes the flexible v3 layout with the group metadata (KIP-447)', () => {
    const body = encodeTxnOffsetCommitRequest({
      transactionalId: 'tx',
      producerId: 258,
      producerEpoch: 1,
      group: { groupId: 'g', generationId: 7, memberId: 'm', groupInstanceId: null },
      offsets: [
        { topic: 't', partition: 0, offset: 42 },
        { topic: 't', partition: 3, offset: 9, leaderEpoch: 2, metadata: 'md' },
      ],
    });
    expect([...body]).toEqual([
      0, // request header v2 tagged fields (kafkajs writes header v1)
      3, 0x74, 0x78, // transactional id "tx" (compact: length + 1)
      2, 0x67, // group id "g"
      0, 0, 0, 0, 0, 0, 1, 2, // producer id 258
      0, 1, // producer epoch 1
      0, 0, 0, 7, // generation id 7
      2, 0x6d, // member id "m"
      0, // group instance id null
      2, // 1 topic
      2, 0x74, // "t"
      3, // 2 partitions
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42, 0xff, 0xff, 0xff, 0xff, 1, 0, // p0, offset 42, epoch -1, metadata "" (as Java), tags
      0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 2, 3, 0x6d, 0x64, 0, // p3, offset 9, epoch 2, "md", tags
      0, // topic tags
      0, // request tags
    ]);
  });

  it('is wrapped as TxnOffsetCommit (key 28) version 3', () => {
    const { request } = txnOffsetCommitRequest({ transactionalId: 'tx', producerId: 1, producerEpoch: 0, group: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: 'i' }, offsets: [] });
    expect([request.apiKey, request.apiVersion]).toEqual([28, 3]);
  });
});

describe('decodeTxnOffsetCommitResponse', () => {
  it('skips the response header tags and reads per-partition error codes', () => {
    const payload = Buffer.from([
      0, // response header v1 tagged fields
      0, 0, 0, 0, // throttle
      2, 2, 0x74, // 1 topic "t"
      3, 0, 0, 0, 0, 0, 0, 0, // 2 partitions: p0 ok
      0, 0, 0, 1, 0, 22, 0, // p1 ILLEGAL_GENERATION
      0, 0,
    ]);
    expect(decodeTxnOffsetCommitResponse(payload)).toEqual({
      throttleTimeMs: 0,
      partitions: [{ topic: 't', partition: 0, errorCode: 0 }, { topic: 't', partition: 1, errorCode: 22 }],
    });
  });
});
