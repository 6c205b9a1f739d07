/** Magic byte of Kafka Streams' commit metadata layout this runtime writes (version 1). */
const VERSION_1 = 1;
/** Version 2 adds processor metadata after the partition time; the time is read the same way. */
const VERSION_2 = 2;

/**
 * Encodes a partition's time as Kafka Streams stores it in the committed offset's metadata:
 * base64 of a version byte and the time as a big-endian int64.
 */
export function encodePartitionTime(partitionTimeMs: number): string {
  const buffer = Buffer.alloc(9);
  buffer.writeInt8(VERSION_1, 0);
  buffer.writeBigInt64BE(BigInt(Math.max(-1, Math.trunc(partitionTimeMs))), 1);
  return buffer.toString('base64');
}

/** The partition time in committed metadata, or undefined when there is none or it is not ours. */
export function decodePartitionTime(metadata: string | null | undefined): number | undefined {
  if (metadata === null || metadata === undefined || metadata === '') return undefined;
  const buffer = Buffer.from(metadata, 'base64');
  if (buffer.length < 9) return undefined;
  const version = buffer.readInt8(0);
  if (version !== VERSION_1 && version !== VERSION_2) return undefined;
  const time = Number(buffer.readBigInt64BE(1));
  return time >= 0 ? time : undefined;
}
