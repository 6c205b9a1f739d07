import { StreamsError, type TopologyModel } from '@kstreams/core';
import type { KafkaStreamsState } from '../kafka-streams-state.js';
import { StateStoreNotAvailableError, StreamsNotStartedError, UnknownStateStoreError } from './invalid-state-store-errors.js';
import { kindOfBuilder, type StoreQueryParameters } from './queryable-store-types.js';
import { checkKind, localStores, type LocalStoresSource } from './store-provider.js';
import type { KeyQueryMetadata, StreamsMetadata } from './streams-metadata.js';
import type { KeyPartitioning, StreamsMetadataState } from './streams-metadata-state.js';

/**
 * The interactive-query side of a KafkaStreams instance (Java's `KafkaStreams#store`,
 * `queryMetadataForKey`, `metadataForAllStreamsClients`, `streamsMetadataForStore`): checks the
 * lifecycle and the store name, then hands out composite read-only views over the local tasks'
 * stores and the host metadata of the last assignment.
 */
export class InteractiveQueries {
  readonly #model: TopologyModel;
  readonly #source: LocalStoresSource;
  readonly #metadata: StreamsMetadataState;

  constructor(model: TopologyModel, source: LocalStoresSource, metadata: StreamsMetadataState) {
    this.#model = model;
    this.#source = source;
    this.#metadata = metadata;
  }

  store<T>(parameters: StoreQueryParameters<T>): T {
    const { storeName, type, partition } = parameters;
    this.#checkStarted(`get state store "${storeName}"`, storeName);
    const model = this.#model.stores.get(storeName);
    if (model === undefined) throw new UnknownStateStoreError(storeName, [...this.#model.stores.keys()].sort());
    checkKind(storeName, type, kindOfBuilder(model.builder));
    if (partition !== undefined && (!Number.isInteger(partition) || partition < 0)) {
      throw new StreamsError(`store("${storeName}"): partition must be an integer of at least 0, got ${String(partition)}.`);
    }
    return type.composite(storeName, () => localStores(this.#source, parameters));
  }

  queryMetadataForKey<K>(storeName: string, key: K, partitioning: KeyPartitioning<K>): KeyQueryMetadata {
    this.#checkStarted(`query metadata of store "${storeName}"`);
    if (!this.#model.stores.has(storeName)) throw new UnknownStateStoreError(storeName, [...this.#model.stores.keys()].sort());
    if (key === undefined || key === null) throw new StreamsError(`queryMetadataForKey("${storeName}"): the key is ${String(key)}; a null key has no partition.`);
    return this.#metadata.keyQueryMetadata(storeName, key, partitioning);
  }

  allMetadata(): StreamsMetadata[] {
    this.#checkStarted('read the metadata of all instances');
    return this.#metadata.allMetadata();
  }

  allMetadataForStore(storeName: string): StreamsMetadata[] {
    this.#checkStarted(`read the metadata of store "${storeName}"`);
    return this.#metadata.allMetadataForStore(storeName);
  }

  /** Java's `validateIsRunningOrRebalancing`: CREATED throws a retriable error, stopped states a final one. */
  #checkStarted(what: string, storeName?: string): void {
    const state: KafkaStreamsState = this.#source.state();
    if (state === 'CREATED') throw new StreamsNotStartedError(what);
    if (storeName !== undefined && state !== 'RUNNING' && state !== 'REBALANCING') throw new StateStoreNotAvailableError(storeName, state);
    if (state !== 'RUNNING' && state !== 'REBALANCING') throw new StreamsError(`Cannot ${what}: KafkaStreams is not running (state ${state}).`);
  }
}
