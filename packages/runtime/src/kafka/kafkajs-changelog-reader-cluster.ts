import { fetchRequest, kafkaErrorCode, type FetchPartitionResponse, type FetchResponse } from '@kstreams/kafka-protocol';
import type { Kafka } from 'kafkajs';
import type { TopicPartition } from './kafka-client.js';
import { READ_COMMITTED, createPrivateCluster, type InternalBroker } from './kafkajs-private-cluster.js';

/**
 * The fetched data of one partition: kstreams' own Fetch v4 decoding, the record batches left
 * as a view into the response bytes (read them with `readRecordBatches`).
 */
export type ClusterPartitionData = FetchPartitionResponse;

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
  // End offsets are high watermarks, not last stable offsets: a restore then waits for a
  // transaction still open in the changelog (whose commit markers may land after the input
  // offsets are stable) instead of stopping before its committed writes. Fetches stay
  // read_committed, so aborted records are never applied.
  const cluster = createPrivateCluster(kafka, { listOffsetsIsolationLevel: 0 });
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
      const request = fetchRequest({ isolationLevel: READ_COMMITTED, maxWaitMs, minBytes: 1, maxBytes, topics: [{ topic, partitions: [{ partition, fetchOffset: fromOffset, maxBytes }] }] });
      const response = await sendFetch(broker, request);
      const data = response.topics.find((entry) => entry.topic === topic)?.partitions.find((entry) => entry.partition === partition);
      if (data === undefined) throw Object.assign(new Error(`The fetch response has no data for ${topic}-${partition}`), { retriable: true });
      if (data.errorCode !== 0) throw partitionError(topic, data);
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

type KafkajsFetchRequest = ReturnType<typeof fetchRequest>;

/** Sends our own Fetch v4 request on the broker's kafkajs connection. */
function sendFetch(broker: InternalBroker, request: KafkajsFetchRequest): Promise<FetchResponse> {
  return (broker.connectionPool as unknown as { send(request: KafkajsFetchRequest): Promise<FetchResponse> }).send(request);
}

/** A partition's fetch error in the shape kafkajs' own fetch threw (name, `retriable`). */
function partitionError(topic: string, data: FetchPartitionResponse): Error & { retriable: boolean } {
  const { name, retriable } = kafkaErrorCode(data.errorCode);
  const error = new Error(`Fetching ${topic}-${data.partition} failed: ${name}`) as Error & { retriable: boolean };
  error.name = data.errorCode === 1 ? 'KafkaJSOffsetOutOfRange' : `Kafka ${name}`;
  error.retriable = retriable;
  return error;
}
