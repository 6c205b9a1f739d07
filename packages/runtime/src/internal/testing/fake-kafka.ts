import { InMemoryChangelog } from '@kstreams/changelog';
import type {
  AcknowledgedOffset,
  ChangelogReaderClient,
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

interface FakeConsumerState {
  readonly index: number;
  readonly rebalance: ((event: RebalanceEvent) => void)[];
  readonly crash: ((error: Error) => void)[];
  onBatch: ((batch: ConsumedBatch) => Promise<void>) | undefined;
  disconnected: boolean;
}

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
  /** Standby tasks every consumer reports after a join. */
  standbyTasks: string[] = [];
  /** Records sent to `*-changelog` topics land here too, and restores read them from here. */
  readonly changelog = new InMemoryChangelog();
  #consumers: FakeConsumerState[] = [];

  constructor(topics: { [topic: string]: number }) {
    for (const [topic, count] of Object.entries(topics)) this.topics.set(topic, count);
  }

  /** Simulates the end of a join: every connected consumer (or only the `consumer`-th ever created) gets this assignment. */
  assign(partitions: TopicPartition[], consumer?: number): void {
    for (const state of this.#targets(consumer)) {
      for (const listener of state.rebalance) listener({ kind: 'assigned', partitions, memberId: `member-${state.index}`, isLeader: state.index === 0 });
    }
  }

  /** Simulates the start of a rebalance. */
  rebalance(): void {
    for (const state of this.#targets(undefined)) for (const listener of state.rebalance) listener({ kind: 'rebalancing' });
  }

  /** Simulates a fatal consumer crash. */
  crash(error: Error): void {
    for (const state of this.#targets(undefined)) for (const listener of state.crash) listener(error);
  }

  #targets(consumer: number | undefined): FakeConsumerState[] {
    return this.#consumers.filter((state) => !state.disconnected && (consumer === undefined || state.index === consumer));
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
    // Consumers that do not own the partition drop the batch, as after a revocation.
    for (const state of this.#targets(undefined)) await state.onBatch?.({ topic, partition, records, highWatermark: firstOffset + values.length });
  }

  createConsumer(options: GroupConsumerOptions): GroupConsumer {
    this.consumerOptions = options;
    const fake = this;
    const state: FakeConsumerState = { index: this.consumersCreated++, rebalance: [], crash: [], onBatch: undefined, disconnected: false };
    this.#consumers.push(state);
    return {
      connect: async () => void fake.log.push('consumer.connect'),
      subscribe: async (topics) => void (fake.subscribed = topics),
      run: async (onBatch) => void (state.onBatch = onBatch),
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
      standbyTasks: async () => [...fake.standbyTasks],
      onRebalance: (listener) => {
        state.rebalance.push(listener);
        return () => undefined;
      },
      onCrash: (listener) => {
        state.crash.push(listener);
        return () => undefined;
      },
      disconnect: async () => {
        fake.log.push('consumer.disconnect');
        // A consumer that left the group hears nothing more.
        state.disconnected = true;
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
        const acknowledged = new Map<string, AcknowledgedOffset>();
        for (const { topic, partition, key, value } of records) {
          const offset = topic.endsWith('-changelog') ? this.changelog.append({ topic, partition }, key, value) : this.produced.length - 1;
          acknowledged.set(`${topic}-${partition}`, { topic, partition, lastOffset: offset });
        }
        return [...acknowledged.values()];
      },
      disconnect: async () => void this.log.push('producer.disconnect'),
    };
  }

  createChangelogReader(): ChangelogReaderClient {
    const changelog = this.changelog;
    return {
      read: (partition, options) => changelog.read(partition, options),
      endOffsets: (partitions) => changelog.endOffsets(partitions),
      beginningOffsets: (partitions) => changelog.beginningOffsets(partitions),
      disconnect: async () => void this.log.push('changelogReader.disconnect'),
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
