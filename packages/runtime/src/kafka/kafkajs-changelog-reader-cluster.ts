import type { Kafka } from 'kafkajs';
import type { TopicPartition } from './kafka-client.js';
import type { AbortedTransaction, FetchedMessage } from './kafkajs-changelog-reader-records.js';
import { READ_COMMITTED, createPrivateCluster } from './kafkajs-private-cluster.js';

/** The fetched data of one partition (kafkajs 2.2.4 fetch response fields we use). */
export interface ClusterPartitionData {
  readonly highWatermark: string;
  readonly lastStableOffset: string;
  readonly abortedTransactions: readonly AbortedTransaction[];
  readonly messages: readonly FetchedMessage[];
}

/** The small API the changelog reader needs from a private kafkajs cluster. */
export interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  fetchPartition(partition: TopicPartition, options: { fromOffset: number; maxWaitMs: number; maxBytes: number }): Promise<ClusterPartitionData>;
  listOffsets(partitions: readonly TopicPartition[], fromBeginning: boolean): Promise<Map<string, number>>;
}

/**
 * A private read_committed kafkajs `Cluster` (own connections, no group) with the small API the
 * changelog reader needs.
 */
export function kafkajsCluster(kafka: Kafka): KafkajsCluster {
  const cluster = createPrivateCluster(kafka);
  const knownTopics = new Set<string>();
  const ensureTopics = async (topics: readonly string[]): Promise<void> => {
    const missing = [...new Set(topics)].filter((topic) => !knownTopics.has(topic));
    if (missing.length === 0) return;
    await cluster.addMultipleTargetTopics(missing);
    for (const topic of missing) knownTopics.add(topic);
  };
  return {
    connect: () => cluster.connect(),
    disconnect: () => cluster.disconnect(),
    refreshMetadata: () => cluster.refreshMetadata(),
    async fetchPartition({ topic, partition }, { fromOffset, maxWaitMs, maxBytes }) {
      await ensureTopics([topic]);
      const leaders = cluster.findLeaderForPartitions(topic, [partition]);
      const nodeId = Object.keys(leaders)[0];
      if (nodeId === undefined) throw Object.assign(new Error(`No leader known for ${topic}-${partition}`), { retriable: true });
      const broker = await cluster.findBroker({ nodeId });
      const request = { partition, fetchOffset: String(fromOffset), maxBytes };
      const { responses } = await broker.fetch({ isolationLevel: READ_COMMITTED, maxWaitTime: maxWaitMs, minBytes: 1, maxBytes, topics: [{ topic, partitions: [request] }] });
      const data = responses.find((response) => response.topicName === topic)?.partitions.find((entry) => entry.partition === partition);
      if (data === undefined) throw Object.assign(new Error(`The fetch response has no data for ${topic}-${partition}`), { retriable: true });
      return data;
    },
    async listOffsets(partitions, fromBeginning) {
      const byTopic = new Map<string, { partition: number }[]>();
      for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition }]);
      await ensureTopics([...byTopic.keys()]);
      const result = await cluster.fetchTopicsOffset([...byTopic].map(([topic, list]) => ({ topic, partitions: list, fromBeginning })));
      return new Map(result.flatMap(({ topic, partitions: list }) => list.map(({ partition, offset }) => [`${topic}-${partition}`, Number(offset)] as const)));
    },
  };
}
