import type { Kafka } from 'kafkajs';
import type { Logger } from '../../internal/engine-ports.js';
import { partitionKey, type ConsumedBatch, type StreamConsumer, type StreamConsumerOptions, type TopicPartition } from '../kafka-client.js';
import { createPrivateCluster, type InternalCluster } from '../kafkajs-private-cluster.js';
import { GroupCoordinatorClient, type CommittedOffset, type MemberIdentity, type OffsetAndMetadata } from './group-coordinator-client.js';
import { GroupMember, type GroupAssignment } from './group-member.js';
import { PartitionFetcher } from './partition-fetcher.js';

const COMMITTED_READ_ATTEMPTS = 5;

/**
 * The runtime's consumer on kafkajs 2.2.4's protocol layer: a {@link GroupMember} (our group
 * state machine), a {@link PartitionFetcher} (our fetch loop) and offset commits, all over one
 * private kafkajs cluster (so TLS, SASL and retries follow the instance's kafkajs settings).
 * A new partition starts at its committed offset, or at the earliest one when the group has
 * none; the committed metadata (partition time) is handed to the rebalance listener.
 */
export class KafkajsStreamConsumer implements StreamConsumer {
  readonly #cluster: InternalCluster;
  readonly #client: GroupCoordinatorClient;
  readonly #member: GroupMember;
  readonly #fetcher: PartitionFetcher;
  readonly #options: StreamConsumerOptions;
  readonly #logger: Logger;
  readonly #wakeListeners = new Set<() => void>();
  #connected = false;
  #closing: Promise<void> | undefined;

  constructor(kafka: Kafka, options: StreamConsumerOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#cluster = createPrivateCluster(kafka);
    this.#client = new GroupCoordinatorClient(this.#cluster, options.groupId);
    this.#fetcher = new PartitionFetcher(this.#cluster, options.fetch, options.logger, () => this.#wake());
    this.#member = new GroupMember({
      client: this.#client,
      groupInstanceId: options.groupInstanceId ?? null,
      sessionTimeoutMs: options.sessionTimeoutMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      maxPollIntervalMs: options.maxPollIntervalMs,
      protocol: options.protocol,
      subscription: options.subscription,
      assign: async (members) => options.assign(members, await this.#topicMetadata()),
      logger: options.logger,
      wake: () => this.#wake(),
      listener: {
        onPartitionsRevoked: async (partitions) => {
          await options.listener.onPartitionsRevoked(partitions);
          this.#fetcher.assign(this.#remaining(partitions));
        },
        onPartitionsLost: async (partitions) => {
          this.#fetcher.assign([]);
          await options.listener.onPartitionsLost(partitions);
        },
        onPartitionsAssigned: (assignment) => this.#assigned(assignment),
      },
    });
  }

  async connect(): Promise<void> {
    if (this.#connected) return;
    await this.#cluster.connect();
    this.#connected = true;
    this.#fetcher.start();
  }

  async poll(): Promise<ConsumedBatch[]> {
    await this.#member.poll();
    if (this.#fetcher.withoutPosition().length > 0 && this.#member.stable) await this.#resetPositions(this.#fetcher.withoutPosition());
    return this.#fetcher.drain();
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#fetcher.pause(partitions);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#fetcher.resume(partitions);
  }

  paused(): TopicPartition[] {
    return this.#fetcher.paused();
  }

  seek(partition: TopicPartition, offset: number): void {
    this.#fetcher.seek(partition, offset);
  }

  async commit(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    await this.#client.commitOffsets(this.#member.identity, offsets);
  }

  rebalanceInProgress(): boolean {
    return this.#member.rebalanceInProgress;
  }

  identity(): MemberIdentity {
    return this.#member.identity;
  }

  requestRejoin(reason: string): void {
    this.#member.requestRejoin(reason);
  }

  suspendHeartbeats(suspended: boolean): void {
    this.#member.suspendHeartbeats(suspended);
  }

  onWake(listener: () => void): () => void {
    this.#wakeListeners.add(listener);
    return () => this.#wakeListeners.delete(listener);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#fetcher.stop();
      await this.#member.close();
      if (this.#connected) await this.#cluster.disconnect().catch(() => undefined);
    })();
    return this.#closing;
  }

  #wake(): void {
    for (const listener of [...this.#wakeListeners]) listener();
  }

  #remaining(revoked: readonly TopicPartition[]): TopicPartition[] {
    const gone = new Set(revoked.map(partitionKey));
    return this.#member.owned.filter((partition) => !gone.has(partitionKey(partition)));
  }

  async #assigned(assignment: GroupAssignment): Promise<void> {
    this.#fetcher.assign(assignment.partitions);
    // Partitions kept across a cooperative rebalance keep their position; new ones read the group's.
    const fresh = this.#fetcher.withoutPosition();
    const committed = await this.#readCommitted(fresh);
    for (const entry of committed) if (entry.offset >= 0) this.#fetcher.seek(entry, entry.offset);
    await this.#options.listener.onPartitionsAssigned({ ...assignment, committed: new Map(committed.map((entry) => [partitionKey(entry), entry])) });
  }

  async #readCommitted(partitions: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#client.committedOffsets(partitions);
      } catch (error) {
        if (attempt >= COMMITTED_READ_ATTEMPTS) throw error;
        this.#logger.info(`Reading committed offsets failed (attempt ${attempt}); retrying.`, { error });
        this.#client.resetCoordinator();
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /** Partitions without a committed offset start at the earliest offset (Kafka Streams' `auto.offset.reset`). */
  async #resetPositions(partitions: readonly TopicPartition[]): Promise<void> {
    const byTopic = new Map<string, { partition: number }[]>();
    for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition }]);
    try {
      await this.#cluster.addMultipleTargetTopics([...byTopic.keys()]);
      const offsets = await this.#cluster.fetchTopicsOffset([...byTopic].map(([topic, list]) => ({ topic, partitions: list, fromBeginning: true })));
      for (const { topic, partitions: list } of offsets) for (const { partition, offset } of list) this.#fetcher.seek({ topic, partition }, Number(offset));
    } catch (error) {
      this.#logger.warn('Reading the earliest offsets of new partitions failed; retrying at the next poll.', { error });
    }
  }

  async #topicMetadata(): Promise<{ topics: readonly string[]; partitionCount: (topic: string) => number }> {
    const metadata = await this.#cluster.metadata({ topics: [] });
    const counts = new Map(metadata.topicMetadata.map((topic) => [topic.topic, topic.partitionMetadata.length]));
    return { topics: [...counts.keys()], partitionCount: (topic) => counts.get(topic) ?? 0 };
  }
}
