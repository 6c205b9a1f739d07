import { matchesWhole, StreamsError, type SubtopologyModel, type TopologyModel } from '@kstreams/core';
import type { NewTopic } from './kafka/kafka-client.js';

/** Kafka Streams' `windowstore.changelog.additional.retention.ms` default: one day. */
export const DEFAULT_WINDOWSTORE_CHANGELOG_ADDITIONAL_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The changelog topic of a store, named as Kafka Streams names it. */
export function changelogTopicName(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

/** What {@link internalTopics} needs. */
export interface InternalTopicsOptions {
  readonly applicationId: string;
  readonly replicationFactor: number;
  /**
   * Partition counts of the source topics, and of the topics the pattern sources match at start
   * (see {@link patternMatchedTopics}); topics that match no source are ignored.
   */
  readonly partitionCounts: ReadonlyMap<string, number>;
  /**
   * Added to a windowed (window or session) store's retention for its changelog's `retention.ms`:
   * the broker expires by wall clock, the store by stream time. Default one day, as in Java.
   */
  readonly windowstoreChangelogAdditionalRetentionMs?: number;
}

/**
 * The internal topics an application needs before it starts: one compacted changelog per logged
 * store, with as many partitions as its sub-topology has tasks (the most partitions among its
 * source topics, pattern-matched ones included). Windowed stores' changelogs also delete, after
 * the store's retention plus `windowstoreChangelogAdditionalRetentionMs`. The store's own log
 * config wins over both. Sink topics are never created here.
 */
export function internalTopics(model: TopologyModel, options: InternalTopicsOptions): NewTopic[] {
  const additionalRetentionMs = options.windowstoreChangelogAdditionalRetentionMs ?? DEFAULT_WINDOWSTORE_CHANGELOG_ADDITIONAL_RETENTION_MS;
  const topics: NewTopic[] = [];
  for (const store of model.stores.values()) {
    if (store.global || !store.builder.loggingEnabled) continue;
    const subtopology = model.subtopologies.find((candidate) => candidate.id === store.subtopology);
    const numPartitions = subtopology === undefined ? 0 : subtopologyPartitionCount(subtopology, options.partitionCounts);
    if (numPartitions === 0) continue;
    const storeRetentionMs = store.builder.retentionMs;
    const retentionMs = storeRetentionMs === undefined ? undefined : Math.min(storeRetentionMs + additionalRetentionMs, Number.MAX_SAFE_INTEGER);
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

/**
 * The task count of a sub-topology: the most partitions among its source topics and the topics
 * in `partitionCounts` its pattern sources match; 0 when none is known.
 */
export function subtopologyPartitionCount(subtopology: SubtopologyModel, partitionCounts: ReadonlyMap<string, number>): number {
  let count = Math.max(0, ...subtopology.sourceTopics.map((topic) => partitionCounts.get(topic) ?? 0));
  if (subtopology.sourcePatterns.length === 0) return count;
  for (const [topic, partitions] of partitionCounts) {
    if (subtopology.sourcePatterns.some((pattern) => matchesWhole(pattern, topic))) count = Math.max(count, partitions);
  }
  return count;
}

/**
 * Of `existingTopics` (e.g. the cluster's topic list at start), those a sub-topology's pattern
 * sources match: load their partition counts and pass them to {@link internalTopics}.
 */
export function patternMatchedTopics(model: TopologyModel, existingTopics: readonly string[]): string[] {
  const patterns = model.subtopologies.flatMap((subtopology) => subtopology.sourcePatterns);
  return existingTopics.filter((topic) => patterns.some((pattern) => matchesWhole(pattern, topic)));
}

/**
 * Checks that the internal topics that already exist have the partition count the application
 * expects (`actual` holds the counts of the existing ones; missing topics are left to be
 * created). Throws a {@link StreamsError} naming every mismatching topic, as Kafka Streams refuses
 * to start on an internal topic with the wrong partition count.
 */
export function checkInternalTopicPartitions(expected: readonly NewTopic[], actual: ReadonlyMap<string, number>): void {
  const mismatches = expected.flatMap((topic) => {
    const partitions = actual.get(topic.topic);
    return partitions === undefined || partitions === topic.numPartitions ? [] : [`"${topic.topic}" has ${partitions}, expected ${topic.numPartitions}`];
  });
  if (mismatches.length === 0) return;
  throw new StreamsError(
    `Existing internal topics have the wrong partition count: ${mismatches.join('; ')} (the partition count of their sub-topology's source topics). ` +
      'The source topics were repartitioned or the topology changed: reset the application (delete its internal topics and local state) or restore the source topics\' partition count.',
  );
}
