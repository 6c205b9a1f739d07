import {
  Stores,
  type Processor,
  type ProcessorContext,
  type Record,
  type Serde,
  type StateStore,
  type StoreBackend,
  type StoreBuilder,
  type TimestampedKeyValueStore,
  type VersionedKeyValueStore,
} from '@kstreams/core';
import type { WiredProcessor } from '../wired-processor.js';

/** A table update as Kafka Streams forwards it between table operators: new and old value. */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

/** Options of {@link tableSource}. */
export interface TableSourceOptions<K, V> {
  readonly storeName: string;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  /** A timestamped key-value store on this backend (ignored when `storeBuilder` is given). */
  readonly backend?: StoreBackend;
  /**
   * The table's store, e.g. a versioned store (`versionedKeyValueStoreBuilder`) so that joins
   * can look up the value valid at a record's timestamp.
   */
  readonly storeBuilder?: StoreBuilder<StateStore>;
  /** True when `storeBuilder` builds a {@link VersionedKeyValueStore}. */
  readonly versioned?: boolean;
}

/**
 * Materializes a changelog stream as a table (Kafka Streams' `KTableSource`): each record
 * upserts its key (a `null` value deletes it) and is forwarded as a {@link Change} with the old
 * value. With a versioned store, a record older than the key's latest version is written to
 * the history but not forwarded, as Kafka Streams does (KIP-914).
 *
 * @example
 * const customers = tableSource({ storeName: 'customers', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.json<Customer>() });
 */
export function tableSource<K, V>(options: TableSourceOptions<K, V>): WiredProcessor<K, V | null, K, Change<V>> {
  const builder = options.storeBuilder ?? defaultStore(options);
  return { supplier: () => new TableSourceProcessor(options), storeBuilders: [builder] };
}

function defaultStore<K, V>(options: TableSourceOptions<K, V>): StoreBuilder<StateStore> {
  if (options.backend === undefined) throw new TypeError(`Table "${options.storeName}" needs a \`backend\` or a \`storeBuilder\`.`);
  return Stores.timestampedKeyValueStoreBuilder({ name: options.storeName, backend: options.backend, keySerde: options.keySerde, valueSerde: options.valueSerde });
}

class TableSourceProcessor<K, V> implements Processor<K, V | null, K, Change<V>> {
  #context!: ProcessorContext<K, Change<V>>;
  #store!: TimestampedKeyValueStore<K, V> | VersionedKeyValueStore<K, V>;

  constructor(private readonly options: TableSourceOptions<K, V>) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.options.storeName);
  }

  process(record: Record<K, V | null>): void {
    if (record.key === null || record.key === undefined) return this.#context.recordDropped('null-key');
    const value = record.value ?? null;
    if (this.options.versioned === true) return this.#processVersioned(record, value);
    const store = this.#store as TimestampedKeyValueStore<K, V>;
    const old = store.get(record.key);
    store.put(record.key, value === null ? null : { value, timestamp: record.timestamp });
    this.#context.forward(record.withValue({ newValue: value, oldValue: old?.value ?? null }));
  }

  #processVersioned(record: Record<K, V | null>, value: V | null): void {
    const store = this.#store as VersionedKeyValueStore<K, V>;
    const old = store.get(record.key);
    const validTo = store.put(record.key, value, record.timestamp);
    // Only a new latest version changes the table's current state downstream.
    if (validTo === -1) this.#context.forward(record.withValue({ newValue: value, oldValue: old?.value ?? null }));
  }
}
