import { ByteReader } from './internal/byte-reader.js';
import { utf8Length } from './internal/byte-writer.js';
import { kafkajsRequest, type KafkajsProtocolRequest } from './internal/kafkajs-request.js';

/** Fetch's API key. */
export const FETCH_API_KEY = 1;
/**
 * The Fetch version we speak: v4, the oldest one Kafka 4.x serves (KIP-896) and all a consumer
 * without fetch sessions or rack awareness needs: isolation level and aborted transactions.
 */
export const FETCH_VERSION = 4;

/** One partition to fetch. */
export interface FetchPartitionRequest {
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
}

/** A Fetch request (a consumer's: replica id -1). */
export interface FetchRequest {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** 0 read_uncommitted, 1 read_committed. */
  readonly isolationLevel: number;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly FetchPartitionRequest[] }[];
}

/** One aborted transaction of a read_committed fetch. */
export interface FetchAbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** One partition's answer; `records` are the raw record batches (decode with `readRecordBatches`). */
export interface FetchPartitionResponse {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly abortedTransactions: readonly FetchAbortedTransaction[];
  /** A view into the response bytes (no copy); empty when nothing was returned. */
  readonly records: Buffer;
}

/** The Fetch response. */
export interface FetchResponse {
  readonly throttleTimeMs: number;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly FetchPartitionResponse[] }[];
}

const EMPTY = Buffer.alloc(0);

/** Encodes a Fetch v4 request body (without the request header). */
export function encodeFetchRequest(request: FetchRequest): Buffer {
  let size = 4 + 4 + 4 + 4 + 1 + 4;
  for (const topic of request.topics) size += 2 + utf8Length(topic.topic) + 4 + topic.partitions.length * (4 + 8 + 4);
  const buffer = Buffer.allocUnsafe(size);
  let offset = buffer.writeInt32BE(-1, 0);
  offset = buffer.writeInt32BE(request.maxWaitMs, offset);
  offset = buffer.writeInt32BE(request.minBytes, offset);
  offset = buffer.writeInt32BE(request.maxBytes, offset);
  offset = buffer.writeInt8(request.isolationLevel, offset);
  offset = buffer.writeInt32BE(request.topics.length, offset);
  for (const topic of request.topics) {
    const written = buffer.write(topic.topic, offset + 2, 'utf8');
    offset = buffer.writeInt16BE(written, offset) + written;
    offset = buffer.writeInt32BE(topic.partitions.length, offset);
    for (const partition of topic.partitions) {
      offset = buffer.writeInt32BE(partition.partition, offset);
      offset = buffer.writeBigInt64BE(BigInt(partition.fetchOffset), offset);
      offset = buffer.writeInt32BE(partition.maxBytes, offset);
    }
  }
  return buffer;
}

/** Decodes a Fetch v4 response body (the bytes after the correlation id); record bytes stay views. */
export function decodeFetchResponse(payload: Buffer): FetchResponse {
  const reader = new ByteReader(payload);
  const throttleTimeMs = reader.int32();
  const topics = Array.from({ length: reader.int32() }, () => ({
    topic: reader.string() ?? '',
    partitions: Array.from({ length: reader.int32() }, (): FetchPartitionResponse => {
      const partition = reader.int32();
      const errorCode = reader.int16();
      const highWatermark = reader.int64();
      const lastStableOffset = reader.int64();
      const abortedTransactions = Array.from({ length: Math.max(0, reader.int32()) }, () => ({ producerId: reader.int64(), firstOffset: reader.int64() }));
      const length = reader.int32();
      const records = length <= 0 ? EMPTY : payload.subarray(reader.offset, reader.offset + length);
      reader.offset += Math.max(0, length);
      return { partition, errorCode, highWatermark, lastStableOffset, abortedTransactions, records };
    }),
  }));
  return { throttleTimeMs, topics };
}

/** A Fetch v4 request ready for kafkajs' `connection.send`. */
export function fetchRequest(request: FetchRequest): KafkajsProtocolRequest<FetchResponse> {
  return kafkajsRequest({ apiKey: FETCH_API_KEY, apiVersion: FETCH_VERSION, apiName: 'Fetch' }, encodeFetchRequest(request), decodeFetchResponse);
}
