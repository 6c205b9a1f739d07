import type { Consumer, Kafka } from 'kafkajs';
import type { ConsumerTuningOptions } from '../streams-config.js';
import type {
  ConsumedBatch,
  GroupConsumer,
  GroupConsumerOptions,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
} from './kafka-client.js';
import { fromKafkajsMessage } from './kafkajs-conversions.js';
import { decodeStandbyTasks, taskPartitionAssigner } from './task-partition-assigner.js';

function flatten(groups: readonly { topic: string; partitions: readonly number[] }[]): TopicPartition[] {
  return groups.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })));
}

function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of partitions) grouped.set(topic, [...(grouped.get(topic) ?? []), partition]);
  return [...grouped].map(([topic, list]) => ({ topic, partitions: list }));
}

/**
 * {@link GroupConsumer} on kafkajs 2.2.4: manual commits only, read_committed by default, the
 * task-keeping assigner, and `GROUP_JOIN`/`REBALANCING` events turned into rebalance
 * notifications (delivered synchronously, before the first fetch of the new generation, so a
 * listener can pause or seek partitions in time).
 */
export class KafkajsGroupConsumer implements GroupConsumer {
  readonly #consumer: Consumer;
  readonly #rebalanceListeners = new Set<(event: RebalanceEvent) => void>();
  readonly #crashListeners = new Set<(error: Error) => void>();
  #assignment: TopicPartition[] = [];
  #memberId: string | undefined;
  #standbyTasks: readonly string[] = [];
  #batchHeartbeat: (() => Promise<void>) | undefined;
  #disconnecting: Promise<void> | undefined;

  constructor(kafka: Kafka, options: GroupConsumerOptions & { readonly tuning?: ConsumerTuningOptions }) {
    this.#consumer = kafka.consumer({
      // Java's fetch.max.wait.ms (kafkajs waits 5 s): a stop waits for the fetch in flight.
      maxWaitTimeInMs: 500,
      ...options.tuning,
      groupId: options.groupId,
      readUncommitted: options.readUncommitted ?? false,
      allowAutoTopicCreation: false,
      partitionAssigners: [
        taskPartitionAssigner({
          ...(options.topicGroups === undefined ? {} : { topicGroups: options.topicGroups }),
          ...(options.ownedTasks === undefined ? {} : { ownedTasks: options.ownedTasks }),
          ...(options.processId === undefined ? {} : { processId: options.processId }),
          ...(options.numStandbyReplicas === undefined ? {} : { numStandbyReplicas: options.numStandbyReplicas }),
          ...(options.statefulSubtopologies === undefined ? {} : { statefulSubtopologies: options.statefulSubtopologies }),
          standbyTasks: () => this.#standbyTasks,
        }),
      ],
    });
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#memberId = payload.memberId;
      this.#assignment = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
      this.#emit({ kind: 'assigned', partitions: this.#assignment, memberId: payload.memberId, isLeader: payload.isLeader });
    });
    this.#consumer.on(this.#consumer.events.REBALANCING, () => this.#emit({ kind: 'rebalancing' }));
    this.#consumer.on(this.#consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts itself after retriable crashes; only a final one stops the loop.
      if (payload.restart) return;
      for (const listener of [...this.#crashListeners]) listener(payload.error);
    });
  }

  connect(): Promise<void> {
    return this.#consumer.connect();
  }

  subscribe(topics: readonly (string | RegExp)[], options: { fromBeginning?: boolean } = {}): Promise<void> {
    return this.#consumer.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? true });
  }

  run(onBatch: (batch: ConsumedBatch) => Promise<void>): Promise<void> {
    return this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale()) return;
        this.#batchHeartbeat = heartbeat;
        try {
          await onBatch({
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: Number(batch.highWatermark),
            records: batch.messages.map((message) => fromKafkajsMessage(batch.topic, batch.partition, message)),
          });
        } finally {
          this.#batchHeartbeat = undefined;
        }
      },
    });
  }

  pause(partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) this.#consumer.pause(byTopic(partitions));
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) this.#consumer.resume(byTopic(partitions));
  }

  paused(): TopicPartition[] {
    return flatten(this.#consumer.paused());
  }

  assignment(): TopicPartition[] {
    return [...this.#assignment];
  }

  seek(offset: TopicPartitionOffset): void {
    this.#consumer.seek({ topic: offset.topic, partition: offset.partition, offset: String(offset.offset) });
  }

  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: String(offset) })));
  }

  async heartbeat(): Promise<void> {
    // Outside a batch the fetch loop heartbeats on its own (it keeps running while partitions are paused).
    await this.#batchHeartbeat?.();
  }

  async standbyTasks(): Promise<string[]> {
    const memberId = this.#memberId;
    if (memberId === undefined) return [];
    // kafkajs drops a follower's assignment user data: read this member's assignment back.
    const description = await this.#consumer.describeGroup();
    const member = description.members.find((candidate) => candidate.memberId === memberId);
    const standbys = member === undefined ? [] : decodeStandbyTasks(member.memberAssignment);
    this.#standbyTasks = standbys;
    return standbys;
  }

  onRebalance(listener: (event: RebalanceEvent) => void): () => void {
    this.#rebalanceListeners.add(listener);
    return () => this.#rebalanceListeners.delete(listener);
  }

  onCrash(listener: (error: Error) => void): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  disconnect(): Promise<void> {
    this.#disconnecting ??= this.#consumer.disconnect();
    return this.#disconnecting;
  }

  #emit(event: RebalanceEvent): void {
    for (const listener of [...this.#rebalanceListeners]) listener(event);
  }
}
