import type { Admin, Kafka } from 'kafkajs';
import type { KafkaAdmin, NewTopic, TopicPartitionOffset } from './kafka-client.js';
import { topicCreationError } from './topic-creation-error.js';

/** {@link KafkaAdmin} on kafkajs 2.2.4. */
export class KafkajsAdmin implements KafkaAdmin {
  readonly #admin: Admin;
  #disconnecting: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.#admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.#admin.connect();
  }

  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    const existing = new Set(await this.#admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.topic));
    if (missing.length === 0) return;
    try {
      await this.#admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.topic,
          numPartitions: topic.numPartitions,
          replicationFactor: topic.replicationFactor,
          configEntries: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (error) {
      throw topicCreationError(error, missing, await this.#brokerCount()) ?? error;
    }
  }

  /** Every topic name in the cluster (for the topics pattern sources match at start). */
  listTopics(): Promise<string[]> {
    return this.#admin.listTopics();
  }

  async #brokerCount(): Promise<number | undefined> {
    const cluster = await this.#admin.describeCluster().catch(() => undefined);
    return cluster?.brokers.length;
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.#admin.listTopics());
    const present = [...new Set(topics)].filter((topic) => existing.has(topic));
    if (present.length === 0) return new Map();
    const metadata = await this.#admin.fetchTopicMetadata({ topics: present });
    return new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
  }

  async committedOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    const result = await this.#admin.fetchOffsets({ groupId, topics: [...topics] });
    return result.flatMap(({ topic, partitions }) => partitions.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) })));
  }

  async endOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return offsets.map(({ partition, high }) => ({ topic, partition, offset: Number(high) }));
  }

  disconnect(): Promise<void> {
    this.#disconnecting ??= this.#admin.disconnect();
    return this.#disconnecting;
  }
}
