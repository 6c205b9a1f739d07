/**
 * What the runtime needs from a Kafka client, as small interfaces. kafkajs 2.2.4 implements them
 * today (`kafkajs-*.ts`); a faster or exactly-once-capable client can be added behind the same
 * seam without touching the task manager or the record collector.
 */
import type { ChangelogPartitionReader } from '@kstreams/changelog';
import type { Headers, Logger } from '@kstreams/core';

/** One partition of one topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** An offset of a partition: for commits and seeks, the next offset to read. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

/** A consumed record, still in bytes. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** The records fetched from one partition in one go, in offset order. */
export interface ConsumedBatch extends TopicPartition {
  readonly records: readonly ConsumedRecord[];
  /** The partition's high watermark (end offset) when fetched. */
  readonly highWatermark: number;
}

/** A committed offset of the group with its metadata (Kafka Streams keeps partition time there). */
export interface CommittedOffsetAndMetadata extends TopicPartition {
  /** -1 when the group has no committed offset for the partition. */
  readonly offset: number;
  readonly metadata: string | null;
}

/** An offset to commit: the next offset to read, and its metadata. */
export interface OffsetToCommit extends TopicPartition {
  readonly offset: number;
  readonly metadata: string | null;
}

/** The assignment a member received at the end of a rebalance. */
export interface ConsumerAssignment {
  readonly generationId: number;
  readonly memberId: string;
  readonly isLeader: boolean;
  /** Every partition the member owns now. */
  readonly partitions: readonly TopicPartition[];
  /** The assignor's user data (tasks, standbys, host map, probing time). */
  readonly userData: Uint8Array;
  /** Committed offsets (and metadata) of the partitions new to this member, by `partitionKey`. */
  readonly committed: ReadonlyMap<string, CommittedOffsetAndMetadata>;
}

/**
 * Kafka's `ConsumerRebalanceListener`, awaited: callbacks run inside {@link StreamConsumer.poll}
 * on the stream thread, never concurrently with processing.
 */
export interface ConsumerRebalanceListener {
  /** Commit these partitions' tasks with the current generation, then close them. */
  onPartitionsRevoked(partitions: readonly TopicPartition[]): Promise<void>;
  onPartitionsAssigned(assignment: ConsumerAssignment): Promise<void>;
  /** The group moved on without this member: close these partitions' tasks dirty, no commit. */
  onPartitionsLost(partitions: readonly TopicPartition[]): Promise<void>;
}

/** A member's subscription: its topics and the assignor's user data. */
export interface GroupMemberSubscription {
  readonly topics: readonly string[];
  readonly userData: Uint8Array;
}

/** What the leader decides for one member: its input partitions and the assignor's user data. */
export interface GroupMemberAssignment {
  readonly partitions: readonly TopicPartition[];
  readonly userData: Uint8Array;
}

/** The cluster's topics as the leader sees them when it assigns. */
export interface ClusterTopics {
  readonly topics: readonly string[];
  partitionCount(topic: string): number;
}

/** Options of a {@link StreamConsumer}. */
export interface StreamConsumerOptions {
  readonly groupId: string;
  /** Static membership (KIP-345): a stable id per thread so restarts within the session timeout do not rebalance. */
  readonly groupInstanceId?: string | null;
  readonly protocol: 'eager' | 'cooperative';
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly fetch: { readonly maxWaitMs: number; readonly maxBytesPerPartition: number; readonly maxBytes: number; readonly readUncommitted: boolean };
  /** Sent at every join. */
  readonly subscription: () => Promise<GroupMemberSubscription>;
  /** The leader's assignment. */
  readonly assign: (members: readonly { memberId: string; subscription: GroupMemberSubscription }[], cluster: ClusterTopics) => Promise<Map<string, GroupMemberAssignment>>;
  readonly listener: ConsumerRebalanceListener;
  readonly logger: Logger;
}

/**
 * The input consumer of one stream thread: a consumer-group member whose rebalance callbacks run
 * inside {@link poll}, plus a fetcher of its assigned partitions.
 */
export interface StreamConsumer {
  connect(): Promise<void>;
  /** Runs due rebalance callbacks and returns the batches fetched since the last call. */
  poll(): Promise<ConsumedBatch[]>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  paused(): TopicPartition[];
  /** Makes the next fetch of the partition start at `offset`. */
  seek(partition: TopicPartition, offset: number): void;
  /** Commits offsets with the current generation; rejects when the group refuses (e.g. a rebalance is in progress). */
  commit(offsets: readonly OffsetToCommit[]): Promise<void>;
  /** Generation, member id, group instance id (exactly-once commits carry them). */
  identity(): { readonly generationId: number; readonly memberId: string; readonly groupInstanceId: string | null };
  /** True while the member rejoins the group (a commit now would be refused). */
  rebalanceInProgress(): boolean;
  /** Asks for a rebalance at the next poll. */
  requestRejoin(reason: string): void;
  /** Test hook: stops heartbeats as a stalled process would. */
  suspendHeartbeats(suspended: boolean): void;
  /** Called when {@link poll} has something to do (records fetched, a rebalance to run). */
  onWake(listener: () => void): () => void;
  /** Stops fetching and leaves the group. Idempotent. */
  close(): Promise<void>;
}

/** A record ready to be produced: partition already chosen. */
export interface ProducerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Headers;
  readonly timestamp: number;
}

/** The offset of the last record the broker acknowledged in one partition. */
export interface AcknowledgedOffset extends TopicPartition {
  readonly lastOffset: number;
}

/** A producer that waits for every in-sync replica (acks = all) and retries idempotently. */
export interface RecordProducer {
  connect(): Promise<void>;
  /**
   * Sends the records; resolves when all are acknowledged with the offset of the last record
   * written to each partition (what checkpoints of changelog partitions are made of), rejects
   * with the production error.
   */
  send(records: readonly ProducerRecord[]): Promise<readonly AcknowledgedOffset[]>;
  disconnect(): Promise<void>;
}

/** A topic to create. */
export interface NewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  /** -1 for the broker default. */
  readonly replicationFactor: number;
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  readonly configs?: Readonly<{ [name: string]: string }>;
}

/** Topic and group administration. */
export interface KafkaAdmin {
  connect(): Promise<void>;
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  /** Partition counts of the topics that exist (missing topics are absent from the map). */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /** Every topic name in the cluster (for the topics pattern sources match at start). */
  listTopics(): Promise<string[]>;
  /** Committed offsets of a group for the topics' partitions; -1 where nothing is committed. */
  committedOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]>;
  /** End offsets (high watermarks) of every partition of the topic. */
  endOffsets(topic: string): Promise<TopicPartitionOffset[]>;
  disconnect(): Promise<void>;
}

/** A group-less changelog reader the runtime restores and tails stores with. */
export interface ChangelogReaderClient extends ChangelogPartitionReader {
  disconnect(): Promise<void>;
}

/** Creates the clients; one per KafkaStreams instance. */
export interface KafkaClientFactory {
  createConsumer(options: StreamConsumerOptions): StreamConsumer;
  createProducer(): RecordProducer;
  createAdmin(): KafkaAdmin;
  /** A group-less, read_committed reader of changelog partitions (restore and standbys). */
  createChangelogReader(): ChangelogReaderClient;
}

/** A stable key for maps of partitions. */
export function partitionKey(partition: TopicPartition): string {
  return `${partition.topic}:${partition.partition}`;
}
