import { gzipSync } from 'node:zlib';
import { compress as lz4Compress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { KafkaProtocolError } from '../kafka-protocol-error.js';
import { RecordBatchBuilder } from '../record-batch-builder.js';
import { readRecordBatches } from '../record-batch-reader.js';
import { crc32c } from './crc32c.js';
import { decompressRecords } from './decompress.js';

const HEADER_SIZE = 61;

/** Three records whose values repeat, so every codec finds matches. */
function uncompressedBatch(): Buffer {
  const builder = new RecordBatchBuilder(64);
  for (let index = 0; index < 3; index++) builder.append({ key: Buffer.from(`key-${index}`), value: Buffer.from(`value-${index}-`.repeat(20)), headers: [], timestamp: 1_000 + index });
  return Buffer.from(builder.close({ producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false }));
}

const EXPECTED = [0, 1, 2].map((index) => `${index}:key-${index}=${`value-${index}-`.repeat(20)}`);

/** The batch with its records section replaced by `compressed`, codec bits, length and CRC set as a producer does. */
function compressedBatch(codec: number, compress: (section: Buffer) => Uint8Array): Buffer {
  const plain = uncompressedBatch();
  const bytes = Buffer.concat([plain.subarray(0, HEADER_SIZE), compress(plain.subarray(HEADER_SIZE))]);
  bytes.writeInt32BE(bytes.length - 12, 8);
  bytes.writeInt16BE((bytes.readInt16BE(21) & ~0x07) | codec, 21);
  bytes.writeUInt32BE(crc32c(bytes, 21), 17);
  return bytes;
}

function read(bytes: Buffer): string[] {
  return readRecordBatches(bytes, 0, [], (offset, _timestamp, source, keyStart, keyLength, valueStart, valueLength) => `${offset}:${source.toString('utf8', keyStart, keyStart + keyLength)}=${source.toString('utf8', valueStart, valueStart + valueLength)}`).records;
}

/** snappy-java's SnappyOutputStream framing: magic, versions 1/1, then [int32 length][raw block] chunks. */
function xerialFrame(section: Buffer, chunkSize: number): Buffer {
  const parts = [Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])];
  for (let start = 0; start < section.length; start += chunkSize) {
    const block = Buffer.from(snappyCompress(section.subarray(start, start + chunkSize)));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

// The records section of `uncompressedBatch()` compressed by the zstd 1.5 and lz4 1.9 command-line
// tools (`zstd -19`, content checksum on; `lz4`, 4 MiB blocks and content checksum on).
const ZSTD_CLI_SECTION = '28b52ffd640a01dd01004402d8020000000a6b65792d30c00276616c75652d302d00d80200020231312d040432322d000820303577151413736d6b29509458ec0baea4ec1d3ad6a470';
const LZ4_CLI_SECTION = '04224d186440a749000000ff06d8020000000a6b65792d30c00276616c75652d302d0800856100d802000202ae001431ae001331ae000f08007f00ae00210404ae001432ae001332ae000f08007b50652d322d0000000000fa222a19';

describe('compressed record batches', () => {
  it('reads gzip batches', () => {
    expect(read(compressedBatch(1, (section) => gzipSync(section)))).toEqual(EXPECTED);
  });

  it('reads snappy batches in snappy-java framing (one chunk or several) and raw', () => {
    expect(read(compressedBatch(2, (section) => xerialFrame(section, 32 * 1024)))).toEqual(EXPECTED);
    expect(read(compressedBatch(2, (section) => xerialFrame(section, 100)))).toEqual(EXPECTED);
    expect(read(compressedBatch(2, (section) => snappyCompress(section)))).toEqual(EXPECTED);
  });

  it('reads lz4 frames', () => {
    expect(read(compressedBatch(3, (section) => lz4Compress(section)))).toEqual(EXPECTED);
    expect(read(compressedBatch(3, () => Buffer.from(LZ4_CLI_SECTION, 'hex')))).toEqual(EXPECTED);
  });

  it('reads zstd frames', () => {
    expect(read(compressedBatch(4, () => Buffer.from(ZSTD_CLI_SECTION, 'hex')))).toEqual(EXPECTED);
  });

  it('names the batch and codec when the bytes are not what the attributes say', () => {
    for (const [codec, name] of [[1, 'gzip'], [2, 'snappy'], [3, 'lz4'], [4, 'zstd']] as const) {
      const garbage = Buffer.from('these bytes are not compressed at all');
      expect(() => decompressRecords(codec, garbage, 42)).toThrow(KafkaProtocolError);
      expect(() => decompressRecords(codec, garbage, 42)).toThrow(new RegExp(`${name} batch at offset 42 could not be decompressed`));
    }
  });

  it('names a codec id Kafka does not define', () => {
    expect(() => read(compressedBatch(5, (section) => section))).toThrow(/codec 5, which Kafka does not define/);
  });
});
