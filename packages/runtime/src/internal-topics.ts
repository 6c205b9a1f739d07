import type { TopologyModel } from '@kstreams/core';
import type { NewTopic } from './kafka/kafka-client.js';

/** The changelog topic of a store, named as Kafka Streams names it. */
export function changelogTopicName(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

/**
 * The internal topics an application needs before it starts: one compacted changelog per logged
 * store, with as many partitions as its sub-topology has tasks (windowed stores also delete
 * after their retention). Sink topics are never created here.
 */
export function internalTopics(
  model: TopologyModel,
  options: { applicationId: string; replicationFactor: number; partitionCounts: ReadonlyMap<string, number> },
): NewTopic[] {
  const topics: NewTopic[] = [];
  for (const store of model.stores.values()) {
    if (store.global || !store.builder.loggingEnabled) continue;
    const subtopology = model.subtopologies.find((candidate) => candidate.id === store.subtopology);
    const numPartitions = Math.max(0, ...(subtopology?.sourceTopics ?? []).map((topic) => options.partitionCounts.get(topic) ?? 0));
    if (numPartitions === 0) continue;
    const retentionMs = store.builder.retentionMs;
    topics.push({
      topic: changelogTopicName(options.applicationId, store.name),
      numPartitions,
      replicationFactor: options.replicationFactor,
      configs: {
        'cleanup.policy': retentionMs === undefined ? 'compact' : 'compact,delete',
        ...(retentionMs === undefined ? {} : { 'retention.ms': String(retentionMs) }),
        ...store.builder.logConfig,
      },
    });
  }
  return topics;
}
