import type {
  ConsumedBatch,
  ConsumedRecord,
  GroupConsumer,
  GroupConsumerOptions,
  KafkaAdmin,
  KafkaClientFactory,
  NewTopic,
  ProducerRecord,
  RebalanceEvent,
  RecordProducer,
  TopicPartition,
  TopicPartitionOffset,
} from '../../kafka/kafka-client.js';
import { partitionKey } from '../../kafka/kafka-client.js';
import { Headers } from '@kstreams/core';

/** An in-memory stand-in for the Kafka clients, driven by the test; logs calls in order. */
export class FakeKafka implements KafkaClientFactory {
  readonly log: string[] = [];
  readonly topics = new Map<string, number>();
  readonly created: NewTopic[] = [];
  readonly produced: ProducerRecord[] = [];
  readonly commits: TopicPartitionOffset[][] = [];
  readonly paused = new Set<string>();
  consumerOptions: GroupConsumerOptions | undefined;
  subscribed: readonly (string | RegExp)[] = [];
  consumersCreated = 0;
  failSendsWith: Error | undefined;
  #onBatch: ((batch: ConsumedBatch) => Promise<void>) | undefined;
  #rebalanceListeners: ((event: RebalanceEvent) => void)[] = [];
  #crashListeners: ((error: Error) => void)[] = [];

  constructor(topics: { [topic: string]: number }) {
    for (const [topic, count] of Object.entries(topics)) this.topics.set(topic, count);
  }

  /** Simulates the end of a join with this assignment. */
  assign(partitions: TopicPartition[]): void {
    for (const listener of this.#rebalanceListeners) listener({ kind: 'assigned', partitions, memberId: 'member-1', isLeader: true });
  }

  /** Simulates the start of a rebalance. */
  rebalance(): void {
    for (const listener of this.#rebalanceListeners) listener({ kind: 'rebalancing' });
  }

  /** Simulates a fatal consumer crash. */
  crash(error: Error): void {
    for (const listener of this.#crashListeners) listener(error);
  }

  /** Hands a batch to the runtime as the fetch loop would. */
  async deliver(topic: string, partition: number, values: string[], firstOffset = 0): Promise<void> {
    const records: ConsumedRecord[] = values.map((value, index) => ({
      topic,
      partition,
      offset: firstOffset + index,
      key: Buffer.from(`k${firstOffset + index}`),
      value: Buffer.from(value),
      timestamp: 1_000 + firstOffset + index,
      headers: new Headers(),
    }));
    await this.#onBatch?.({ topic, partition, records, highWatermark: firstOffset + values.length });
  }

  createConsumer(options: GroupConsumerOptions): GroupConsumer {
    this.consumerOptions = options;
    this.consumersCreated++;
    const fake = this;
    const rebalanceListeners: ((event: RebalanceEvent) => void)[] = [];
    const crashListeners: ((error: Error) => void)[] = [];
    return {
      connect: async () => void fake.log.push('consumer.connect'),
      subscribe: async (topics) => void (fake.subscribed = topics),
      run: async (onBatch) => void (fake.#onBatch = onBatch),
      pause: (partitions) => partitions.forEach((partition) => fake.paused.add(partitionKey(partition))),
      resume: (partitions) => partitions.forEach((partition) => fake.paused.delete(partitionKey(partition))),
      paused: () => [],
      assignment: () => [],
      seek: (offset) => void fake.log.push(`seek ${partitionKey(offset)}@${offset.offset}`),
      commitOffsets: async (offsets) => {
        fake.log.push('commit');
        fake.commits.push([...offsets]);
      },
      heartbeat: async () => undefined,
      onRebalance: (listener) => {
        rebalanceListeners.push(listener);
        fake.#rebalanceListeners.push(listener);
        return () => undefined;
      },
      onCrash: (listener) => {
        crashListeners.push(listener);
        fake.#crashListeners.push(listener);
        return () => undefined;
      },
      disconnect: async () => {
        fake.log.push('consumer.disconnect');
        // A consumer that left the group hears nothing more.
        fake.#rebalanceListeners = fake.#rebalanceListeners.filter((listener) => !rebalanceListeners.includes(listener));
        fake.#crashListeners = fake.#crashListeners.filter((listener) => !crashListeners.includes(listener));
      },
    };
  }

  createProducer(): RecordProducer {
    return {
      connect: async () => undefined,
      send: async (records) => {
        if (this.failSendsWith) throw this.failSendsWith;
        this.log.push(`send ${records.length}`);
        this.produced.push(...records);
      },
      disconnect: async () => void this.log.push('producer.disconnect'),
    };
  }

  createAdmin(): KafkaAdmin {
    return {
      connect: async () => undefined,
      createTopics: async (topics) => {
        this.created.push(...topics);
        for (const topic of topics) this.topics.set(topic.topic, topic.numPartitions);
      },
      partitionCounts: async (topics) => new Map(topics.filter((topic) => this.topics.has(topic)).map((topic) => [topic, this.topics.get(topic)!])),
      committedOffsets: async () => [],
      endOffsets: async () => [],
      disconnect: async () => undefined,
    };
  }
}
