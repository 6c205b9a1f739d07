import { AssignerProtocol } from 'kafkajs';
import type { GroupMemberAssignment, GroupMemberSubscription, TopicPartition } from '../kafka-client.js';

/** The group protocol name Kafka Streams members agree on. */
export const STREAMS_PROTOCOL_NAME = 'stream';
/** Version of the user data below; a leader answers older members in their version. */
export const MEMBER_PROTOCOL_VERSION = 1;

/** What a member tells the leader when it joins (see {@link GroupMemberSubscription}). */
export interface MemberSubscription extends GroupMemberSubscription {
  readonly version: number;
}

/** What the leader decided for one member. */
export type MemberAssignment = GroupMemberAssignment;

/** Encodes a subscription in Kafka's consumer-protocol layout with our data as user data. */
export function encodeSubscription(subscription: MemberSubscription): Buffer {
  const { topics, ...userData } = subscription;
  return AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [...topics], userData: Buffer.from(JSON.stringify(userData)) });
}

/** Decodes a member's subscription; a member that sent nothing we can read gets an empty one. */
export function decodeSubscription(bytes: Buffer, memberId: string): MemberSubscription {
  try {
    const metadata = AssignerProtocol.MemberMetadata.decode(bytes);
    const data = JSON.parse(metadata?.userData?.toString() || '{}') as Partial<MemberSubscription>;
    return {
      version: typeof data.version === 'number' ? data.version : 0,
      processId: typeof data.processId === 'string' ? data.processId : memberId,
      topics: metadata?.topics ?? [],
      ownedPartitions: partitionList(data.ownedPartitions),
      activeTasks: textList(data.activeTasks),
      standbyTasks: textList(data.standbyTasks),
      taskOffsetSums: typeof data.taskOffsetSums === 'object' && data.taskOffsetSums !== null ? data.taskOffsetSums : {},
      cooperative: data.cooperative === true,
    };
  } catch {
    return { version: 0, processId: memberId, topics: [], ownedPartitions: [], activeTasks: [], standbyTasks: [], taskOffsetSums: {}, cooperative: false };
  }
}

/** Encodes an assignment (partitions in the consumer-protocol layout, tasks as user data). */
export function encodeAssignment(assignment: MemberAssignment): Buffer {
  const { partitions, ...userData } = assignment;
  const byTopic: { [topic: string]: number[] } = {};
  for (const { topic, partition } of partitions) (byTopic[topic] ??= []).push(partition);
  return AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: byTopic, userData: Buffer.from(JSON.stringify(userData)) });
}

/** Decodes the assignment a member received in SyncGroup (empty when there is none). */
export function decodeAssignment(bytes: Buffer | null | undefined): MemberAssignment {
  if (bytes === null || bytes === undefined || bytes.length === 0) return { version: MEMBER_PROTOCOL_VERSION, partitions: [], activeTasks: [], standbyTasks: [], errorCode: 0 };
  const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
  const data = JSON.parse(decoded?.userData?.toString() || '{}') as Partial<MemberAssignment>;
  const partitions = Object.entries(decoded?.assignment ?? {}).flatMap(([topic, list]) => list.map((partition) => ({ topic, partition })));
  return {
    version: typeof data.version === 'number' ? data.version : 0,
    partitions,
    activeTasks: textList(data.activeTasks),
    standbyTasks: textList(data.standbyTasks),
    errorCode: typeof data.errorCode === 'number' ? data.errorCode : 0,
    ...(typeof data.errorMessage === 'string' ? { errorMessage: data.errorMessage } : {}),
  };
}

function textList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function partitionList(value: unknown): TopicPartition[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is TopicPartition => typeof item?.topic === 'string' && Number.isInteger(item?.partition));
}
