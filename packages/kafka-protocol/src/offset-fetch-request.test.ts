import { describe, expect, it } from 'vitest';
import { decodeOffsetFetchResponse, encodeOffsetFetchRequest, offsetFetchRequest } from './offset-fetch-request.js';

describe('OffsetFetch v7', () => {
  it('writes the flexible layout with require_stable', () => {
    const body = encodeOffsetFetchRequest({ groupId: 'g', partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 2 }], requireStable: true });
    expect([...body]).toEqual([
      0, // request header v2 tagged fields (kafkajs writes header v1)
      2, 0x67, // group id "g" (compact: length + 1)
      2, // 1 topic
      2, 0x74, // "t"
      3, 0, 0, 0, 0, 0, 0, 0, 2, // partitions [0, 2]
      0, // topic tags
      1, // require_stable
      0, // request tags
    ]);
    const { request } = offsetFetchRequest({ groupId: 'g', partitions: [], requireStable: false });
    expect([request.apiKey, request.apiVersion]).toEqual([9, 7]);
  });

  it('reads offsets, metadata and error codes (UNSTABLE_OFFSET_COMMIT is 88)', () => {
    const payload = Buffer.from([
      0, // response header tags
      0, 0, 0, 0, // throttle
      2, 2, 0x74, // 1 topic "t"
      3, // 2 partitions
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42, 0xff, 0xff, 0xff, 0xff, 3, 0x6d, 0x64, 0, 0, 0, // p0 offset 42, epoch -1, "md", no error, tags
      0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 88, 0, // p1 offset -1, epoch -1, null, 88, tags
      0, // topic tags
      0, 0, // group error
      0, // tags
    ]);
    expect(decodeOffsetFetchResponse(payload)).toEqual({
      partitions: [
        { topic: 't', partition: 0, offset: 42, metadata: 'md', errorCode: 0 },
        { topic: 't', partition: 1, offset: -1, metadata: null, errorCode: 88 },
      ],
      errorCode: 0,
    });
  });
});
