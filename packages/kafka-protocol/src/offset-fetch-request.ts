import { ByteReader } from './internal/byte-reader.js';
import { ByteWriter } from './internal/byte-writer.js';
import { kafkajsRequest, type KafkajsProtocolRequest } from './internal/kafkajs-request.js';

/** OffsetFetch's API key. */
export const OFFSET_FETCH_API_KEY = 9;
/**
 * v7 (KIP-447, flexible): `requireStable` makes the coordinator answer UNSTABLE_OFFSET_COMMIT
 * (88) for a partition while a transaction holding offsets for it is still pending, so an
 * exactly-once member never starts from offsets older than a commit in flight. kafkajs 2.2.4
 * encodes v1–v4 only.
 */
export const OFFSET_FETCH_VERSION = 7;
/** The coordinator's answer while a transactional offset commit of the partition is pending. */
export const UNSTABLE_OFFSET_COMMIT = 88;

/** An OffsetFetch v7 request: the group's committed offsets of these partitions. */
export interface OffsetFetchRequest {
  readonly groupId: string;
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[];
  readonly requireStable: boolean;
}

/** One partition's committed offset (-1 when none) and metadata, with its error code. */
export interface FetchedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

/** The answer: per-partition offsets and the group-level error code. */
export interface OffsetFetchResponse {
  readonly partitions: readonly FetchedOffset[];
  readonly errorCode: number;
}

/** Encodes the body (kafkajs writes a v1 header; the flexible v2 header's empty tags lead the body). */
export function encodeOffsetFetchRequest(request: OffsetFetchRequest): Buffer {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of request.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  const writer = new ByteWriter(128);
  writer.emptyTaggedFields();
  writer.compactString(request.groupId).unsignedVarint(byTopic.size + 1);
  for (const [topic, partitions] of byTopic) {
    writer.compactString(topic).unsignedVarint(partitions.length + 1);
    for (const partition of partitions) writer.int32(partition);
    writer.emptyTaggedFields();
  }
  writer.int8(request.requireStable ? 1 : 0);
  return writer.emptyTaggedFields().finish();
}

/** Decodes the response body after the correlation id (response header v1 tagged fields first). */
export function decodeOffsetFetchResponse(payload: Buffer): OffsetFetchResponse {
  const reader = new ByteReader(payload);
  reader.skipTaggedFields();
  reader.int32(); // throttle time
  const partitions: FetchedOffset[] = [];
  const topicCount = reader.unsignedVarint() - 1;
  for (let topicIndex = 0; topicIndex < topicCount; topicIndex++) {
    const topic = reader.compactString() ?? '';
    const partitionCount = reader.unsignedVarint() - 1;
    for (let index = 0; index < partitionCount; index++) {
      const partition = reader.int32();
      const offset = reader.int64();
      reader.int32(); // committed leader epoch
      const metadata = reader.compactString();
      const errorCode = reader.int16();
      reader.skipTaggedFields();
      partitions.push({ topic, partition, offset, metadata, errorCode });
    }
    reader.skipTaggedFields();
  }
  const errorCode = reader.int16();
  reader.skipTaggedFields();
  return { partitions, errorCode };
}

/** An OffsetFetch v7 request ready for kafkajs' `connection.send`. */
export function offsetFetchRequest(request: OffsetFetchRequest): KafkajsProtocolRequest<OffsetFetchResponse> {
  return kafkajsRequest({ apiKey: OFFSET_FETCH_API_KEY, apiVersion: OFFSET_FETCH_VERSION, apiName: 'OffsetFetch' }, encodeOffsetFetchRequest(request), decodeOffsetFetchResponse);
}
