import { GroupCoordinatorClient, createPrivateCluster, kafkajsLogCreator, type InternalCluster, type StreamsConfig, type TopicPartitionOffset } from '@kstreams/runtime';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { PartitionOffsets } from './offset-plan.js';

/** A member of the application's consumer group, as DescribeGroups lists it. */
export interface GroupMemberDescription {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
}

/** The cluster operations the reset needs (kafkajs behind it; a fake can stand in for unit tests). */
export interface ResetAdmin {
  listTopics(): Promise<string[]>;
  /** The group's current members; none when the group is empty or does not exist. */
  groupMembers(groupId: string): Promise<GroupMemberDescription[]>;
  /** Removes members from the group, as their own LeaveGroup would (Java's `removeMembersFromConsumerGroup`). */
  removeMembers(groupId: string, members: readonly GroupMemberDescription[]): Promise<void>;
  /** Log start, log end and the group's committed offset of every partition of `topics`; with `timestamp`, the offset for it too. */
  partitionOffsets(groupId: string, topics: readonly string[], timestamp?: number): Promise<PartitionOffsets[]>;
  /** Commits offsets for an empty group (generation -1, no member id: the admin way). */
  commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Deletes topics and waits until the cluster no longer lists them. */
  deleteTopics(topics: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

const TOPIC_DELETION_TIMEOUT_MS = 30_000;

/** {@link ResetAdmin} on kafkajs 2.2.4, with the connection, TLS and SASL settings of a {@link StreamsConfig}. */
export class KafkajsResetAdmin implements ResetAdmin {
  readonly #admin: Admin;
  readonly #cluster: InternalCluster;
  #connected: Promise<void> | undefined;

  constructor(config: StreamsConfig) {
    const kafka = new Kafka({
      ...config.kafka,
      clientId: config.clientId,
      brokers: [...config.bootstrapServers],
      logLevel: logLevel.INFO,
      logCreator: kafkajsLogCreator(config.logger),
    });
    this.#admin = kafka.admin();
    this.#cluster = createPrivateCluster(kafka);
  }

  /** Connects both clients once; every operation calls it. */
  connect(): Promise<void> {
    this.#connected ??= Promise.all([this.#admin.connect(), this.#cluster.connect()]).then(() => undefined);
    return this.#connected;
  }

  async listTopics(): Promise<string[]> {
    await this.connect();
    return this.#admin.listTopics();
  }

  async groupMembers(groupId: string): Promise<GroupMemberDescription[]> {
    await this.connect();
    const { groups } = await this.#admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).map(({ memberId, clientId, clientHost }) => ({ memberId, clientId, clientHost }));
  }

  async removeMembers(groupId: string, members: readonly GroupMemberDescription[]): Promise<void> {
    await this.connect();
    const client = new GroupCoordinatorClient(this.#cluster, groupId);
    for (const member of members) {
      try {
        await client.leaveGroup({ memberId: member.memberId, groupInstanceId: null });
      } catch (error) {
        // The member left by itself in the meantime: what --force wanted.
        if ((error as { type?: string }).type !== 'UNKNOWN_MEMBER_ID') throw error;
      }
    }
  }

  async partitionOffsets(groupId: string, topics: readonly string[], timestamp?: number): Promise<PartitionOffsets[]> {
    await this.connect();
    const committed = await this.#committed(groupId, topics);
    const result: PartitionOffsets[] = [];
    for (const topic of topics) {
      const offsets = await this.#admin.fetchTopicOffsets(topic);
      const byTimestamp = timestamp === undefined ? undefined : await this.#timestampOffsets(topic, timestamp);
      for (const { partition, low, high } of offsets.sort((left, right) => left.partition - right.partition)) {
        const base = { topic, partition, beginning: Number(low), end: Number(high), committed: committed.get(`${topic}:${partition}`) ?? -1 };
        result.push(byTimestamp === undefined ? base : { ...base, timestampOffset: byTimestamp.get(partition) ?? -1 });
      }
    }
    return result;
  }

  async #committed(groupId: string, topics: readonly string[]): Promise<Map<string, number>> {
    const fetched = await this.#admin.fetchOffsets({ groupId, topics: [...topics] });
    return new Map(fetched.flatMap(({ topic, partitions }) => partitions.map(({ partition, offset }) => [`${topic}:${partition}`, Number(offset)] as const)));
  }

  /** The first offset at or after `timestamp` per partition; kafkajs answers the end offset where no record is that recent. */
  async #timestampOffsets(topic: string, timestamp: number): Promise<Map<number, number>> {
    const offsets = await this.#admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
    return new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)]));
  }

  async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    await this.connect();
    const client = new GroupCoordinatorClient(this.#cluster, groupId);
    await client.commitOffsets({ generationId: -1, memberId: '', groupInstanceId: null }, offsets.map((offset) => ({ ...offset, metadata: '' })));
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    await this.connect();
    await this.#admin.deleteTopics({ topics: [...topics], timeout: TOPIC_DELETION_TIMEOUT_MS });
    const deadline = Date.now() + TOPIC_DELETION_TIMEOUT_MS;
    for (;;) {
      const remaining = new Set(await this.#admin.listTopics());
      const left = topics.filter((topic) => remaining.has(topic));
      if (left.length === 0) return;
      if (Date.now() > deadline) throw new Error(`Topics ${left.join(', ')} are still listed ${TOPIC_DELETION_TIMEOUT_MS} ms after their deletion.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#admin.disconnect(), this.#cluster.disconnect()]);
  }
}
