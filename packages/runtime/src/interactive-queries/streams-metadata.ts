import type { HostInfo } from '@kstreams/assignor';
import type { TopicPartition } from '../kafka/kafka-client.js';

export type { HostInfo } from '@kstreams/assignor';

/**
 * One instance of the application as the last rebalance described it (Java's `StreamsMetadata`):
 * where it serves queries (`applicationServer`), which stores it holds as active or standby, and
 * which input partitions those tasks read. Lists are sorted.
 */
export interface StreamsMetadata {
  readonly hostInfo: HostInfo;
  /** Stores of its active tasks (global stores included: every instance has them). */
  readonly stateStoreNames: readonly string[];
  readonly topicPartitions: readonly TopicPartition[];
  readonly standbyStateStoreNames: readonly string[];
  readonly standbyTopicPartitions: readonly TopicPartition[];
}

/** Where one key of a store lives (Java's `KeyQueryMetadata`). */
export interface KeyQueryMetadata {
  /** The instance whose active task holds the key; {@link UNAVAILABLE_HOST} when unknown. */
  readonly activeHost: HostInfo;
  /** Instances with a standby copy of the key's task (stale reads). */
  readonly standbyHosts: readonly HostInfo[];
  /** The key's partition (task partition); -1 when not available or for a global store. */
  readonly partition: number;
}

/** Java's `HostInfo.unavailable()`: no host known (not assigned yet, or no `applicationServer`). */
export const UNAVAILABLE_HOST: HostInfo = Object.freeze({ host: 'unavailable', port: -1 });

/**
 * Java's `KeyQueryMetadata.NOT_AVAILABLE`: what `queryMetadataForKey()` returns before the first
 * assignment with a host map arrived (the instance is starting or no member set `applicationServer`).
 */
export const KEY_QUERY_METADATA_NOT_AVAILABLE: KeyQueryMetadata = Object.freeze({ activeHost: UNAVAILABLE_HOST, standbyHosts: Object.freeze([]), partition: -1 });

/** Java's `StreamsMetadata.NOT_AVAILABLE`. */
export const STREAMS_METADATA_NOT_AVAILABLE: StreamsMetadata = Object.freeze({
  hostInfo: UNAVAILABLE_HOST,
  stateStoreNames: Object.freeze([]),
  topicPartitions: Object.freeze([]),
  standbyStateStoreNames: Object.freeze([]),
  standbyTopicPartitions: Object.freeze([]),
});

/** True for {@link UNAVAILABLE_HOST} (or any host with port -1). */
export function isUnavailable(host: HostInfo): boolean {
  return host.port === -1;
}
