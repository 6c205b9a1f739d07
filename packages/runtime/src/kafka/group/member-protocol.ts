import { AssignerProtocol } from 'kafkajs';
import type { GroupMemberAssignment, GroupMemberSubscription } from '../kafka-client.js';

/** The group protocol name Kafka Streams members agree on. */
export const STREAMS_PROTOCOL_NAME = 'stream';

/** A member's subscription: topics and the assignor's user data (opaque to the group layer). */
export type MemberSubscription = GroupMemberSubscription;

/** What the leader hands one member: input partitions and the assignor's user data. */
export type MemberAssignmentBytes = GroupMemberAssignment;

/** Kafka's consumer-protocol subscription layout (so broker tools can read it), our data as user data. */
export function encodeSubscription(subscription: MemberSubscription): Buffer {
  return AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [...subscription.topics], userData: asBuffer(subscription.userData) });
}

export function decodeSubscription(bytes: Buffer): MemberSubscription {
  const metadata = AssignerProtocol.MemberMetadata.decode(bytes);
  return { topics: metadata?.topics ?? [], userData: metadata?.userData ?? Buffer.alloc(0) };
}

/** Kafka's consumer-protocol assignment layout: partitions by topic, our data as user data. */
export function encodeAssignment(assignment: MemberAssignmentBytes): Buffer {
  const byTopic: { [topic: string]: number[] } = {};
  for (const { topic, partition } of assignment.partitions) (byTopic[topic] ??= []).push(partition);
  return AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: byTopic, userData: asBuffer(assignment.userData) });
}

/** The assignment a member received in SyncGroup (empty when there is none). */
export function decodeAssignment(bytes: Buffer | null | undefined): MemberAssignmentBytes {
  if (bytes === null || bytes === undefined || bytes.length === 0) return { partitions: [], userData: new Uint8Array() };
  const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
  const partitions = Object.entries(decoded?.assignment ?? {}).flatMap(([topic, list]) => list.map((partition) => ({ topic, partition })));
  return { partitions, userData: decoded?.userData ?? new Uint8Array() };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
