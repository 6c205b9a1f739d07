import type { Admin, Kafka } from 'kafkajs';
import type { KafkaAdmin, NewTopic, TopicPartitionOffset } from './kafka-client.js';
import { topicCreationError } from './topic-creation-error.js';

/**
 * Waits until every partition of the new topics has a leader. kafkajs' own `waitForLeaders`
 * gives up on the UNKNOWN_TOPIC_OR_PARTITION a broker answers until its metadata has caught up
 * with the controller (a busy broker takes a few hundred ms); this retries it.
 */
export async function waitForTopicLeaders(admin: Pick<Admin, 'fetchTopicMetadata'>, topics: readonly string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (metadata.length === topics.length && metadata.every((topic) => topic.partitions.every((partition) => partition.leader >= 0))) return;
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`Topics ${topics.join(', ')} have no leader after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
        waitForLeaders: false,
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
    await waitForTopicLeaders(this.#admin, missing.map((topic) => topic.topic));
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
