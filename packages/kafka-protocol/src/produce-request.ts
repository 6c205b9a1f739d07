import { ByteReader } from './internal/byte-reader.js';
import { utf8Length } from './internal/byte-writer.js';
import { kafkajsRequest, type KafkajsProtocolRequest } from './internal/kafkajs-request.js';

/** Produce's API key. */
export const PRODUCE_API_KEY = 0;
/**
 * The Produce version we speak: v8, the newest non-flexible one (Kafka 2.4+; Kafka 4.x serves
 * v3–v12). v8 responses carry per-record errors and an error message.
 */
export const PRODUCE_VERSION = 8;

/** One partition's data in a Produce request: one encoded RecordBatch v2. */
export interface ProducePartitionData {
  readonly partition: number;
  readonly batch: Buffer;
}

/** One topic's data in a Produce request. */
export interface ProduceTopicData {
  readonly topic: string;
  readonly partitions: readonly ProducePartitionData[];
}

/** A Produce request. */
export interface ProduceRequest {
  readonly transactionalId: string | null;
  /** -1 (all in-sync replicas), 1 or 0. */
  readonly acks: number;
  readonly timeoutMs: number;
  readonly topics: readonly ProduceTopicData[];
}

/** One partition's answer. */
export interface ProducePartitionResponse {
  readonly partition: number;
  readonly errorCode: number;
  /** Offset of the batch's first record; -1 on error. */
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  readonly recordErrors: readonly { readonly batchIndex: number; readonly message: string | null }[];
  readonly errorMessage: string | null;
}

/** The Produce response. */
export interface ProduceResponse {
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly ProducePartitionResponse[] }[];
  readonly throttleTimeMs: number;
}

/** Encodes a Produce v8 request body (without the request header). One allocation, one copy per batch. */
export function encodeProduceRequest(request: ProduceRequest): Buffer {
  const transactionalIdLength = request.transactionalId === null ? 0 : utf8Length(request.transactionalId);
  let size = 2 + transactionalIdLength + 2 + 4 + 4;
  for (const topic of request.topics) {
    size += 2 + utf8Length(topic.topic) + 4;
    for (const partition of topic.partitions) size += 4 + 4 + partition.batch.length;
  }
  const buffer = Buffer.allocUnsafe(size);
  let offset = writeString(buffer, 0, request.transactionalId);
  offset = buffer.writeInt16BE(request.acks, offset);
  offset = buffer.writeInt32BE(request.timeoutMs, offset);
  offset = buffer.writeInt32BE(request.topics.length, offset);
  for (const topic of request.topics) {
    offset = writeString(buffer, offset, topic.topic);
    offset = buffer.writeInt32BE(topic.partitions.length, offset);
    for (const { partition, batch } of topic.partitions) {
      offset = buffer.writeInt32BE(partition, offset);
      offset = buffer.writeInt32BE(batch.length, offset);
      offset += batch.copy(buffer, offset);
    }
  }
  return buffer;
}

function writeString(buffer: Buffer, offset: number, text: string | null): number {
  if (text === null) return buffer.writeInt16BE(-1, offset);
  const written = buffer.write(text, offset + 2, 'utf8');
  buffer.writeInt16BE(written, offset);
  return offset + 2 + written;
}

/** Decodes a Produce v8 response body (the bytes after the correlation id). */
export function decodeProduceResponse(payload: Buffer): ProduceResponse {
  const reader = new ByteReader(payload);
  const topics = Array.from({ length: reader.int32() }, () => ({
    topic: reader.string() ?? '',
    partitions: Array.from({ length: reader.int32() }, (): ProducePartitionResponse => ({
      partition: reader.int32(),
      errorCode: reader.int16(),
      baseOffset: reader.int64(),
      logAppendTimeMs: reader.int64(),
      logStartOffset: reader.int64(),
      recordErrors: Array.from({ length: Math.max(0, reader.int32()) }, () => ({ batchIndex: reader.int32(), message: reader.string() })),
      errorMessage: reader.string(),
    })),
  }));
  return { topics, throttleTimeMs: reader.int32() };
}

/** A Produce v8 request ready for kafkajs' `connection.send`. */
export function produceRequest(request: ProduceRequest): KafkajsProtocolRequest<ProduceResponse> {
  return kafkajsRequest({ apiKey: PRODUCE_API_KEY, apiVersion: PRODUCE_VERSION, apiName: 'Produce' }, encodeProduceRequest(request), decodeProduceResponse);
}
