import { describe, expect, it } from 'vitest';
import { decodePartitionTime, encodePartitionTime } from './partition-time-metadata.js';

describe('partition time metadata', () => {
  it('round-trips a partition time in Kafka Streams’ version-1 layout', () => {
    const encoded = encodePartitionTime(1_700_000_000_123);
    expect(Buffer.from(encoded, 'base64')).toEqual(Buffer.from([1, 0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b]));
    expect(decodePartitionTime(encoded)).toBe(1_700_000_000_123);
  });

  it('reads the partition time of version 2 (with processor metadata after it)', () => {
    const buffer = Buffer.alloc(13);
    buffer.writeInt8(2, 0);
    buffer.writeBigInt64BE(42n, 1);
    expect(decodePartitionTime(buffer.toString('base64'))).toBe(42);
  });

  it('ignores empty, foreign or negative metadata', () => {
    expect(decodePartitionTime(null)).toBeUndefined();
    expect(decodePartitionTime('')).toBeUndefined();
    expect(decodePartitionTime('hello')).toBeUndefined();
    expect(decodePartitionTime(encodePartitionTime(-1))).toBeUndefined();
  });
});
