import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { decompress as lz4Decompress } from 'lz4js';
import { uncompress as snappyUncompress } from 'snappyjs';
import { KafkaProtocolError } from '../kafka-protocol-error.js';

/** Kafka's codec ids (the low three bits of a batch's attributes). */
export const CODEC_NAMES: readonly string[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const GZIP = 1;
const SNAPPY = 2;
const LZ4 = 3;
const ZSTD = 4;

/** snappy-java's stream header: 0x82 'SNAPPY' 0x00, then two int32 versions. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = XERIAL_MAGIC.length + 8;

/**
 * Decompresses the records section of a RecordBatch v2 compressed with `codec` (1 gzip, 2 snappy,
 * 3 lz4, 4 zstd), as Java's consumer does: gzip through node:zlib, snappy in snappy-java's
 * framing (what Java producers write) or raw, lz4 in the standard LZ4 frame format (magic v2
 * batches), zstd frames. A codec id Kafka does not define, or bytes the codec cannot read, is a
 * {@link KafkaProtocolError} naming the batch's offset and the codec.
 */
export function decompressRecords(codec: number, data: Buffer, baseOffset: number): Buffer {
  const name = CODEC_NAMES[codec];
  if (name === undefined || codec === 0) {
    throw new KafkaProtocolError(
      `A fetched batch at offset ${baseOffset} names compression codec ${codec}, which Kafka does not define (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd); the topic was written by a broken producer or the response is corrupt.`,
    );
  }
  try {
    return decompressWith(codec, data);
  } catch (error) {
    throw new KafkaProtocolError(
      `A fetched ${name} batch at offset ${baseOffset} could not be decompressed (${(error as Error).message}); the batch is corrupt or not ${name} as its attributes say.`,
      { cause: error },
    );
  }
}

function decompressWith(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case GZIP:
      return gunzipSync(data);
    case SNAPPY:
      return isXerialFramed(data) ? xerialUncompress(data) : asBuffer(snappyUncompress(data));
    case LZ4:
      return asBuffer(lz4Decompress(data));
    case ZSTD:
      return asBuffer(zstdDecompress(data));
    default:
      throw new Error(`codec ${codec} is not handled`);
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isXerialFramed(data: Buffer, at = 0): boolean {
  return data.length >= at + XERIAL_HEADER_SIZE && data.subarray(at, at + XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

/**
 * snappy-java's `SnappyOutputStream` format: the header, then chunks of [int32 length][raw snappy
 * block]. A header may appear again between chunks (streams written one after another), as
 * snappy-java's `SnappyInputStream` accepts.
 */
function xerialUncompress(data: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let position = 0;
  while (position < data.length) {
    if (isXerialFramed(data, position)) {
      position += XERIAL_HEADER_SIZE;
      continue;
    }
    if (position + 4 > data.length) throw new Error(`snappy-java chunk length cut at byte ${position}`);
    const length = data.readInt32BE(position);
    const end = position + 4 + length;
    if (length < 0 || end > data.length) throw new Error(`snappy-java chunk of ${length} bytes at byte ${position} runs past the batch end`);
    chunks.push(asBuffer(snappyUncompress(data.subarray(position + 4, end))));
    position = end;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
