import { ByteReader } from './internal/byte-reader.js';
import { ByteWriter } from './internal/byte-writer.js';
import { kafkajsRequest, type KafkajsProtocolRequest } from './internal/kafkajs-request.js';

/** TxnOffsetCommit's API key. */
export const TXN_OFFSET_COMMIT_API_KEY = 28;
/**
 * v3 (KIP-447, flexible): carries the consumer group metadata (generation id, member id,
 * group instance id), so the group coordinator fences a zombie's offsets. kafkajs 2.2.4 only
 * encodes v0/v1.
 */
export const TXN_OFFSET_COMMIT_VERSION = 3;

/** One offset committed inside a transaction: the next offset to read. */
export interface TxnOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** -1 when unknown. */
  readonly leaderEpoch?: number;
  /** Offset metadata (Kafka Streams puts the partition time here); "" when omitted, as Java. */
  readonly metadata?: string;
}

/** The consumer's group metadata, as Java's `ConsumerGroupMetadata`. */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** A TxnOffsetCommit v3 request. */
export interface TxnOffsetCommitRequest {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly group: ConsumerGroupMetadata;
  readonly offsets: readonly TxnOffset[];
}

/** The per-partition answer codes. */
export interface TxnOffsetCommitResponse {
  readonly throttleTimeMs: number;
  readonly partitions: readonly { readonly topic: string; readonly partition: number; readonly errorCode: number }[];
}

/**
 * Encodes the request body. kafkajs writes a v1 request header (no tagged fields), so the body
 * starts with the empty tagged-field section a flexible (v2) request header ends with.
 */
export function encodeTxnOffsetCommitRequest(request: TxnOffsetCommitRequest): Buffer {
  const writer = new ByteWriter(256);
  writer.emptyTaggedFields(); // request header v2's tagged fields
  writer.compactString(request.transactionalId).compactString(request.group.groupId);
  writer.int64(request.producerId).int16(request.producerEpoch).int32(request.group.generationId);
  writer.compactString(request.group.memberId).compactString(request.group.groupInstanceId);
  const byTopic = groupByTopic(request.offsets);
  writer.unsignedVarint(byTopic.size + 1);
  for (const [topic, offsets] of byTopic) {
    writer.compactString(topic).unsignedVarint(offsets.length + 1);
    for (const offset of offsets) {
      writer.int32(offset.partition).int64(offset.offset).int32(offset.leaderEpoch ?? -1);
      writer.compactString(offset.metadata ?? '').emptyTaggedFields(); // Java sends "" for no metadata
    }
    writer.emptyTaggedFields();
  }
  return writer.emptyTaggedFields().finish();
}

function groupByTopic(offsets: readonly TxnOffset[]): Map<string, TxnOffset[]> {
  const byTopic = new Map<string, TxnOffset[]>();
  for (const offset of offsets) {
    const list = byTopic.get(offset.topic);
    if (list === undefined) byTopic.set(offset.topic, [offset]);
    else list.push(offset);
  }
  return byTopic;
}

/** Decodes the response body after the correlation id (response header v1 tagged fields first). */
export function decodeTxnOffsetCommitResponse(payload: Buffer): TxnOffsetCommitResponse {
  const reader = new ByteReader(payload);
  reader.skipTaggedFields();
  const throttleTimeMs = reader.int32();
  const partitions: { topic: string; partition: number; errorCode: number }[] = [];
  const topicCount = reader.unsignedVarint() - 1;
  for (let topicIndex = 0; topicIndex < topicCount; topicIndex++) {
    const topic = reader.compactString() ?? '';
    const partitionCount = reader.unsignedVarint() - 1;
    for (let index = 0; index < partitionCount; index++) {
      partitions.push({ topic, partition: reader.int32(), errorCode: reader.int16() });
      reader.skipTaggedFields();
    }
    reader.skipTaggedFields();
  }
  reader.skipTaggedFields();
  return { throttleTimeMs, partitions };
}

/** A TxnOffsetCommit v3 request ready for kafkajs' `connection.send`. */
export function txnOffsetCommitRequest(request: TxnOffsetCommitRequest): KafkajsProtocolRequest<TxnOffsetCommitResponse> {
  return kafkajsRequest(
    { apiKey: TXN_OFFSET_COMMIT_API_KEY, apiVersion: TXN_OFFSET_COMMIT_VERSION, apiName: 'TxnOffsetCommit' },
    encodeTxnOffsetCommitRequest(request),
    decodeTxnOffsetCommitResponse,
  );
}
