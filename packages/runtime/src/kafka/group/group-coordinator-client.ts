/// <reference path="./kafkajs-requests.d.ts" />
import apiKeys from 'kafkajs/src/protocol/requests/apiKeys.js';
import protocol from 'kafkajs/src/protocol/requests/index.js';
import type { InternalBroker, InternalCluster } from '../kafkajs-private-cluster.js';
import type { TopicPartition } from '../kafka-client.js';
import { explainCoordinatorFailure } from '../coordinator-authorization.js';

/** A member as the JoinGroup response lists it to the leader. */
export interface JoinedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

/** What a JoinGroup answered. */
export interface JoinGroupResult {
  readonly generationId: number;
  readonly memberId: string;
  readonly leaderId: string;
  readonly protocolName: string;
  /** Every member with its subscription; empty unless this member is the leader. */
  readonly members: readonly JoinedMember[];
}

/** The identity a member sends with its group requests. */
export interface MemberIdentity {
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** An offset to commit with its metadata string (Kafka Streams puts partition time there). */
export interface OffsetAndMetadata extends TopicPartition {
  readonly offset: number;
  readonly metadata: string | null;
}

/** A committed offset read back; `offset` is -1 when the group has none. */
export interface CommittedOffset extends TopicPartition {
  readonly offset: number;
  readonly metadata: string | null;
}

interface JoinGroupResponse {
  generationId: number;
  groupProtocol: string;
  leaderId: string;
  memberId: string;
  members: { memberId: string; groupInstanceId?: string | null; memberMetadata: Buffer }[];
}

/**
 * The consumer-group requests of one member, sent to the group coordinator through a private
 * kafkajs cluster (kafkajs encodes and decodes them: JoinGroup v5, SyncGroup v3, Heartbeat v3,
 * LeaveGroup v3 carry the static member id). Errors are kafkajs' protocol errors with a `type`
 * such as `REBALANCE_IN_PROGRESS`; a coordinator error forgets the coordinator so the next
 * request looks it up again.
 */
export class GroupCoordinatorClient {
  readonly #cluster: InternalCluster;
  readonly #groupId: string;
  #coordinator: Promise<InternalBroker> | undefined;

  constructor(cluster: InternalCluster, groupId: string) {
    this.#cluster = cluster;
    this.#groupId = groupId;
  }

  async joinGroup(options: { memberId: string; groupInstanceId: string | null; sessionTimeoutMs: number; rebalanceTimeoutMs: number; protocols: readonly { name: string; metadata: Buffer }[] }): Promise<JoinGroupResult> {
    const send = (memberId: string): Promise<JoinGroupResponse> =>
      this.#send('JoinGroup', {
        groupId: this.#groupId,
        sessionTimeout: options.sessionTimeoutMs,
        rebalanceTimeout: options.rebalanceTimeoutMs,
        memberId,
        groupInstanceId: options.groupInstanceId,
        protocolType: 'consumer',
        groupProtocols: options.protocols,
      });
    let response: JoinGroupResponse;
    try {
      response = await send(options.memberId);
    } catch (error) {
      // KIP-394: a new member first gets its id, then joins with it.
      if ((error as { name?: string }).name !== 'KafkaJSMemberIdRequired') throw error;
      response = await send((error as { memberId: string }).memberId);
    }
    return {
      generationId: response.generationId,
      memberId: response.memberId,
      leaderId: response.leaderId,
      protocolName: response.groupProtocol,
      members: response.members.map((member) => ({ memberId: member.memberId, groupInstanceId: member.groupInstanceId ?? null, metadata: member.memberMetadata })),
    };
  }

  async syncGroup(identity: MemberIdentity, assignments: readonly { memberId: string; assignment: Buffer }[]): Promise<Buffer> {
    const response = await this.#send<{ memberAssignment: Buffer }>('SyncGroup', {
      groupId: this.#groupId,
      generationId: identity.generationId,
      memberId: identity.memberId,
      groupInstanceId: identity.groupInstanceId,
      groupAssignment: assignments.map(({ memberId, assignment }) => ({ memberId, memberAssignment: assignment })),
    });
    return response.memberAssignment;
  }

  async heartbeat(identity: MemberIdentity): Promise<void> {
    await this.#send('Heartbeat', { groupId: this.#groupId, groupGenerationId: identity.generationId, memberId: identity.memberId, groupInstanceId: identity.groupInstanceId });
  }

  async leaveGroup(identity: Pick<MemberIdentity, 'memberId' | 'groupInstanceId'>): Promise<void> {
    await this.#send('LeaveGroup', { groupId: this.#groupId, memberId: identity.memberId, groupInstanceId: identity.groupInstanceId });
  }

  async commitOffsets(identity: MemberIdentity, offsets: readonly OffsetAndMetadata[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#send('OffsetCommit', {
      groupId: this.#groupId,
      groupGenerationId: identity.generationId,
      memberId: identity.memberId,
      retentionTime: -1,
      topics: groupByTopic(offsets, ({ partition, offset, metadata }) => ({ partition, offset: String(offset), metadata })),
    });
  }

  async committedOffsets(partitions: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    if (partitions.length === 0) return [];
    const response = await this.#send<{ responses: { topic: string; partitions: { partition: number; offset: string; metadata: string | null }[] }[] }>('OffsetFetch', {
      groupId: this.#groupId,
      topics: groupByTopic(partitions, ({ partition }) => ({ partition })),
    });
    return response.responses.flatMap(({ topic, partitions: list }) => list.map(({ partition, offset, metadata }) => ({ topic, partition, offset: Number(offset), metadata })));
  }

  /** Forgets the coordinator (after NOT_COORDINATOR or a broken connection). */
  resetCoordinator(): void {
    this.#coordinator = undefined;
  }

  async #send<T>(apiName: string, args: object): Promise<T> {
    const broker = await this.#findCoordinator();
    try {
      const build = broker.lookupRequest(apiKeys[apiName]!, protocol.requests[apiName]);
      // Group errors (rebalancing, unknown member) are expected and handled by the member: kafkajs must not log them as errors.
      return await broker.connectionPool.send<T>({ ...build(args), logResponseError: false });
    } catch (error) {
      if (isCoordinatorError(error)) this.resetCoordinator();
      throw error;
    }
  }

  #findCoordinator(): Promise<InternalBroker> {
    if (this.#coordinator === undefined) {
      // A refused lookup (no group ACL) must reach the member as GROUP_AUTHORIZATION_FAILED, not as kafkajs' bare "not found".
      const lookup = this.#cluster.findGroupCoordinator({ groupId: this.#groupId }).catch(async (error: unknown) => {
        throw await explainCoordinatorFailure(error, this.#cluster, { groupId: this.#groupId });
      });
      this.#coordinator = lookup;
      lookup.catch(() => {
        if (this.#coordinator === lookup) this.#coordinator = undefined;
      });
    }
    return this.#coordinator;
  }
}

/** Errors after which the coordinator must be looked up again. */
export function isCoordinatorError(error: unknown): boolean {
  const { type, name } = error as { type?: string; name?: string };
  return (
    type === 'NOT_COORDINATOR' ||
    type === 'NOT_COORDINATOR_FOR_GROUP' ||
    type === 'COORDINATOR_NOT_AVAILABLE' ||
    type === 'GROUP_COORDINATOR_NOT_AVAILABLE' ||
    name === 'KafkaJSConnectionError' ||
    name === 'KafkaJSConnectionClosedError' ||
    name === 'KafkaJSRequestTimeoutError'
  );
}

function groupByTopic<P extends TopicPartition, E>(partitions: readonly P[], entry: (partition: P) => E): { topic: string; partitions: E[] }[] {
  const byTopic = new Map<string, E[]>();
  for (const partition of partitions) {
    let list = byTopic.get(partition.topic);
    if (list === undefined) byTopic.set(partition.topic, (list = []));
    list.push(entry(partition));
  }
  return [...byTopic].map(([topic, list]) => ({ topic, partitions: list }));
}
