import { compareTopicPartitions, parseHostInfo, type HostInfo } from '@kstreams/assignor';
import { StreamsError, type Serializer, type StreamPartitioner, type TopologyModel } from '@kstreams/core';
import { partitionForKey } from '../default-partitioner.js';
import { wholeMatch } from '../task-manager.js';
import type { TopicPartition } from '../kafka/kafka-client.js';
import { KEY_QUERY_METADATA_NOT_AVAILABLE, UNAVAILABLE_HOST, type KeyQueryMetadata, type StreamsMetadata } from './streams-metadata.js';

/** How to find a key's partition: the key serializer (default partitioner) or the partitioner the topology writes with. */
export type KeyPartitioning<K> = Serializer<K> | StreamPartitioner<K, unknown>;

/** Options of {@link StreamsMetadataState}. */
export interface StreamsMetadataStateOptions {
  readonly model: TopologyModel;
  /** This instance's `applicationServer` (`host:port`), if set. */
  readonly applicationServer: string | undefined;
  /** The partition count of a topic as known to the instance (from its startup checks). */
  readonly partitionCount: (topic: string) => number | undefined;
}

type HostMap = ReadonlyMap<string, readonly TopicPartition[]>;

/**
 * Where every store of the application lives (Java's `StreamsMetadataState`), rebuilt from the
 * host maps of each assignment (`AssignmentInfo.partitionsByHost` / `standbyPartitionsByHost`,
 * which the leader sends every member in SyncGroup). Only instances with an `applicationServer`
 * appear. Until the first assignment with a host map arrives, key lookups return
 * {@link KEY_QUERY_METADATA_NOT_AVAILABLE} and the lists are empty.
 */
export class StreamsMetadataState {
  readonly #options: StreamsMetadataStateOptions;
  readonly #thisHost: HostInfo;
  readonly #globalStores: string[];
  #allMetadata: StreamsMetadata[] = [];
  #partitionsByHost: HostMap = new Map();

  constructor(options: StreamsMetadataStateOptions) {
    this.#options = options;
    this.#thisHost = options.applicationServer === undefined ? UNAVAILABLE_HOST : parseHostInfo(options.applicationServer);
    this.#globalStores = [...options.model.stores.values()].filter((store) => store.global).map((store) => store.name).sort();
  }

  /** Takes the host maps of a new assignment. */
  onAssignment(partitionsByHost: HostMap, standbyPartitionsByHost: HostMap): void {
    this.#partitionsByHost = partitionsByHost;
    const endpoints = [...new Set([...partitionsByHost.keys(), ...standbyPartitionsByHost.keys()])];
    this.#allMetadata = endpoints
      .map((endpoint) => this.#metadataOf(parseHostInfo(endpoint), partitionsByHost.get(endpoint) ?? [], standbyPartitionsByHost.get(endpoint) ?? []))
      .sort((a, b) => a.hostInfo.host.localeCompare(b.hostInfo.host) || a.hostInfo.port - b.hostInfo.port);
  }

  /** True once an assignment with a host map arrived. */
  isInitialized(): boolean {
    return this.#allMetadata.length > 0;
  }

  /** Every instance that set an `applicationServer`. */
  allMetadata(): StreamsMetadata[] {
    return [...this.#allMetadata];
  }

  /** This instance's entry (empty lists when it has no `applicationServer` or no assignment yet). */
  localMetadata(): StreamsMetadata {
    return this.#allMetadata.find((metadata) => sameHost(metadata.hostInfo, this.#thisHost)) ?? this.#metadataOf(this.#thisHost, [], []);
  }

  /** The instances holding `storeName` as active or standby (every instance for a global store). */
  allMetadataForStore(storeName: string): StreamsMetadata[] {
    if (this.#globalStores.includes(storeName)) return this.allMetadata();
    return this.#allMetadata.filter((metadata) => metadata.stateStoreNames.includes(storeName) || metadata.standbyStateStoreNames.includes(storeName));
  }

  /**
   * The active and standby hosts of `key` in `storeName` (Java's `getKeyQueryMetadataForKey`).
   * The partition is the one the default partitioner (with `partitioning` as key serializer) or
   * the given partitioner picks among the store's source topics' partitions.
   */
  keyQueryMetadata<K>(storeName: string, key: K, partitioning: KeyPartitioning<K>): KeyQueryMetadata {
    if (!this.isInitialized()) return KEY_QUERY_METADATA_NOT_AVAILABLE;
    if (this.#globalStores.includes(storeName)) {
      const host = this.#thisHost === UNAVAILABLE_HOST ? this.#allMetadata[0]!.hostInfo : this.#thisHost;
      return { activeHost: host, standbyHosts: [], partition: -1 };
    }
    const topics = this.#sourceTopicsOf(storeName);
    const numPartitions = Math.max(0, ...topics.map((topic) => this.#partitionCount(topic)));
    if (topics.length === 0 || numPartitions === 0) return KEY_QUERY_METADATA_NOT_AVAILABLE;
    const topic = topics.find((candidate) => this.#partitionCount(candidate) === numPartitions)!;
    const partition = partitionOf(storeName, topic, key, partitioning, numPartitions);
    let activeHost = UNAVAILABLE_HOST;
    const standbyHosts: HostInfo[] = [];
    for (const metadata of this.#allMetadata) {
      const holds = (partitions: readonly TopicPartition[]): boolean => partitions.some((candidate) => candidate.partition === partition && topics.includes(candidate.topic));
      if (metadata.stateStoreNames.includes(storeName) && holds(metadata.topicPartitions)) activeHost = metadata.hostInfo;
      if (metadata.standbyStateStoreNames.includes(storeName) && holds(metadata.standbyTopicPartitions)) standbyHosts.push(metadata.hostInfo);
    }
    return { activeHost, standbyHosts, partition };
  }

  #metadataOf(hostInfo: HostInfo, active: readonly TopicPartition[], standby: readonly TopicPartition[]): StreamsMetadata {
    return {
      hostInfo,
      stateStoreNames: [...new Set([...this.#storesReading(active), ...this.#globalStores])].sort(),
      topicPartitions: [...active].sort(compareTopicPartitions),
      standbyStateStoreNames: this.#storesReading(standby),
      standbyTopicPartitions: [...standby].sort(compareTopicPartitions),
    };
  }

  /** Stores whose sub-topology reads any of the partitions' topics. */
  #storesReading(partitions: readonly TopicPartition[]): string[] {
    const topics = new Set(partitions.map((partition) => partition.topic));
    const stores = [...this.#options.model.stores.values()].filter((store) => !store.global && this.#sourceTopicsOf(store.name).some((topic) => topics.has(topic)));
    return stores.map((store) => store.name).sort();
  }

  /** The source topics of the store's sub-topology (pattern sources: the matching topics of the host map). */
  #sourceTopicsOf(storeName: string): string[] {
    const store = this.#options.model.stores.get(storeName);
    const subtopology = this.#options.model.subtopologies.find((candidate) => candidate.id === store?.subtopology);
    if (store === undefined || store.global || subtopology === undefined) return [];
    const assigned = [...this.#partitionsByHost.values()].flat().map((partition) => partition.topic);
    const matched = assigned.filter((topic) => subtopology.sourcePatterns.some((pattern) => wholeMatch(pattern, topic)));
    return [...new Set([...subtopology.sourceTopics, ...matched])];
  }

  /** The topic's partition count; without one, what the host map shows (highest partition + 1). */
  #partitionCount(topic: string): number {
    const known = this.#options.partitionCount(topic);
    if (known !== undefined) return known;
    const partitions = [...this.#partitionsByHost.values()].flat().filter((partition) => partition.topic === topic);
    return partitions.length === 0 ? 0 : Math.max(...partitions.map((partition) => partition.partition)) + 1;
  }
}

function partitionOf<K>(storeName: string, topic: string, key: K, partitioning: KeyPartitioning<K>, numPartitions: number): number {
  if (typeof partitioning === 'function') {
    const partition = partitioning(topic, key, undefined, numPartitions);
    if (partition === undefined || !Number.isInteger(partition) || partition < 0 || partition >= numPartitions) {
      throw new StreamsError(`The partitioner given to queryMetadataForKey("${storeName}") returned ${String(partition)} for topic "${topic}" with ${numPartitions} partitions; it must return a partition from 0 to ${numPartitions - 1}. Pass the key serializer instead to use the default partitioner.`);
    }
    return partition;
  }
  const bytes = partitioning.serialize(topic, key);
  if (bytes === null) throw new StreamsError(`The key serializer given to queryMetadataForKey("${storeName}") returned null: a null key has no partition.`);
  return partitionForKey(bytes, numPartitions);
}

function sameHost(a: HostInfo, b: HostInfo): boolean {
  return a.host === b.host && a.port === b.port;
}
