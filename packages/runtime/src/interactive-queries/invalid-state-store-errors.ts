import { InvalidStateStoreError } from '@kstreams/core';

/**
 * `store()` or a query was called before `start()` (Java's `StreamsNotStartedException`).
 * Retriable: call `start()` and retry.
 */
export class StreamsNotStartedError extends InvalidStateStoreError {
  constructor(what: string) {
    super(`Cannot ${what}: KafkaStreams has not been started (state CREATED). Call start() and retry once the instance is RUNNING.`, { retriable: true });
  }
}

/**
 * The store cannot be read here right now: the instance is rebalancing, the task is restoring,
 * or the store moved to another instance (Java's `StateStoreMigratedException`). Retriable:
 * retry later, or find the store's current host with `queryMetadataForKey()`.
 */
export class StateStoreMigratedError extends InvalidStateStoreError {
  constructor(message: string, options: { taskId?: string; cause?: unknown } = {}) {
    super(message, { ...options, retriable: true });
  }
}

/**
 * The instance is shutting down, stopped or failed, so none of its stores can be read any more
 * (Java's `StateStoreNotAvailableException`). Not retriable on this instance.
 */
export class StateStoreNotAvailableError extends InvalidStateStoreError {
  constructor(storeName: string, state: string) {
    super(`State store "${storeName}" is not available: KafkaStreams is ${state}. Query another instance, or a new KafkaStreams after a restart.`);
  }
}

/** The topology has no store of that name (Java's `UnknownStateStoreException`). Not retriable. */
export class UnknownStateStoreError extends InvalidStateStoreError {
  constructor(storeName: string, knownStores: readonly string[]) {
    const known = knownStores.length === 0 ? 'it has no stores' : `its stores are ${knownStores.map((name) => `"${name}"`).join(', ')}`;
    super(`Cannot get state store "${storeName}": no such store is registered in the topology (${known}). Check the store name.`);
  }
}

/**
 * A query asked for one partition of a store and no task of this instance holds it
 * (Java's `InvalidStateStorePartitionException`). Retriable: it may move here, or find where it
 * is with `queryMetadataForKey()` / `allMetadataForStore()`.
 */
export class InvalidStateStorePartitionError extends InvalidStateStoreError {
  constructor(storeName: string, partition: number, localPartitions: readonly number[]) {
    const local = localPartitions.length === 0 ? 'none' : localPartitions.join(', ');
    super(`Partition ${partition} of state store "${storeName}" is not held by this instance (local partitions: ${local}). Ask the instance that queryMetadataForKey() names, or query without a partition.`, { retriable: true });
  }
}
