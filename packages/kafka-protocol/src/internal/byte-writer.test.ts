import { describe, expect, it } from 'vitest';
import { ByteWriter, unsignedVarintSize, varintSize } from './byte-writer.js';

describe('ByteWriter', () => {
  it('writes zig-zag varints as Kafka does', () => {
    const writer = new ByteWriter(4);
    for (const value of [0, -1, 1, 63, -64, 64, 300, -2_147_483_648, 2 ** 40]) writer.varint(value);
    expect([...writer.finish()]).toEqual([0, 1, 2, 126, 127, 128, 1, 216, 4, 255, 255, 255, 255, 15, 128, 128, 128, 128, 128, 64]);
    expect([0, -1, 64, 300, 2 ** 40].map(varintSize)).toEqual([1, 1, 2, 2, 6]);
    expect(unsignedVarintSize(128)).toBe(2);
  });

  it('writes int64s, negative ones included, and compact strings', () => {
    const writer = new ByteWriter(2);
    writer.int64(2 ** 40 + 5).int64(-1).compactString('é').compactString(null).string(null);
    expect([...writer.finish()]).toEqual([0, 0, 1, 0, 0, 0, 0, 5, 255, 255, 255, 255, 255, 255, 255, 255, 3, 0xc3, 0xa9, 0, 255, 255]);
  });

  it('doubles up to the expected size, then grows only to what is needed', () => {
    const writer = new ByteWriter(1024, 4000);
    writer.bytes(Buffer.alloc(3000));
    expect(writer.buffer.length).toBe(4000);
    writer.bytes(Buffer.alloc(1500));
    expect(writer.buffer.length).toBe(4500 + (4500 >> 3));
  });
});
