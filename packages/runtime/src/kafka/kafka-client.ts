/**
 * What the runtime needs from a Kafka client, as small interfaces. kafkajs 2.2.4 implements them
 * today (`kafkajs-*.ts`); a faster or exactly-once-capable client can be added behind the same
 * seam without touching the task manager or the record collector.
 */
import type { ChangelogPartitionReader } from '@kstreams/changelog';
import type { Headers } from '@kstreams/core';

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

/** What a consumer reports about group membership. */
export type RebalanceEvent =
  /** The group started rebalancing; with eager rebalancing every partition is about to be revoked. */
  | { readonly kind: 'rebalancing' }
  /** The member joined (or re-joined) with this assignment; listeners run before any fetch. */
  | {
      readonly kind: 'assigned';
      readonly partitions: readonly TopicPartition[];
      readonly memberId: string;
      readonly isLeader: boolean;
    };

/** A consumer in a consumer group (the only kind kafkajs offers). */
export interface GroupConsumer {
  connect(): Promise<void>;
  /** Subscribes to topics (or patterns); call before {@link run}. */
  subscribe(topics: readonly (string | RegExp)[], options?: { fromBeginning?: boolean }): Promise<void>;
  /**
   * Starts the fetch loop. `onBatch` is awaited before the next fetch of that partition, so it
   * should hand records over quickly; `onBatch` may call {@link heartbeat} while it works.
   */
  run(onBatch: (batch: ConsumedBatch) => Promise<void>): Promise<void>;
  /** Stops fetching these partitions (takes effect at the next fetch). */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Partitions currently paused. */
  paused(): TopicPartition[];
  /** The partitions assigned at the last join. */
  assignment(): TopicPartition[];
  /** Makes the next fetch of the partition start at `offset`. */
  seek(offset: TopicPartitionOffset): void;
  /** Commits offsets (the next offset to read) for the current generation. */
  commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Sends a heartbeat if one is due (only possible while a batch is being handled). */
  heartbeat(): Promise<void>;
  /**
   * The standby tasks the group leader gave this member at the last join (read back from the
   * group, since kafkajs followers drop the assignment's user data); empty when unknown.
   */
  standbyTasks(): Promise<string[]>;
  /** Listens for rebalances; returns a function that removes the listener. */
  onRebalance(listener: (event: RebalanceEvent) => void): () => void;
  /** Listens for a fatal consumer error (the fetch loop has stopped). */
  onCrash(listener: (error: Error) => void): () => void;
  /** Stops the fetch loop and leaves the group. Idempotent. */
  disconnect(): Promise<void>;
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
  /** Committed offsets of a group for the topics' partitions; -1 where nothing is committed. */
  committedOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]>;
  /** End offsets (high watermarks) of every partition of the topic. */
  endOffsets(topic: string): Promise<TopicPartitionOffset[]>;
  disconnect(): Promise<void>;
}

/** Options of a group consumer. */
export interface GroupConsumerOptions {
  readonly groupId: string;
  /** `read_committed` unless told otherwise. */
  readonly readUncommitted?: boolean;
  /** What the member tells the assigner about itself (e.g. the tasks it owns). */
  readonly ownedTasks?: () => readonly string[];
  /** Source topics grouped by sub-topology: partitions of one group and index stay together. */
  readonly topicGroups?: readonly (readonly string[])[];
  /** The instance (process) this member belongs to: standbys never share it with their active task. */
  readonly processId?: string;
  /** Standby replicas per task the leader places on other instances (default 0). */
  readonly numStandbyReplicas?: number;
  /** Sub-topology ids (task id prefixes) that have logged stores: only their tasks get standbys. */
  readonly statefulSubtopologies?: readonly number[];
}

/** A group-less changelog reader the runtime restores and tails stores with. */
export interface ChangelogReaderClient extends ChangelogPartitionReader {
  disconnect(): Promise<void>;
}

/** Creates the clients; one per KafkaStreams instance. */
export interface KafkaClientFactory {
  createConsumer(options: GroupConsumerOptions): GroupConsumer;
  createProducer(): RecordProducer;
  createAdmin(): KafkaAdmin;
  /** A group-less, read_committed reader of changelog partitions (restore and standbys). */
  createChangelogReader(): ChangelogReaderClient;
}

/** A stable key for maps of partitions. */
export function partitionKey(partition: TopicPartition): string {
  return `${partition.topic}:${partition.partition}`;
}
