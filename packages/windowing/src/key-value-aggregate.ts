import { type Serde, Stores, type Processor, type ProcessorContext, type Record, type TimestampedKeyValueStore } from '@kstreams/core';
import { countFunctions, type CountOptions, reduceFunctions, type AggregateFunctions, type AggregationStoreOptions, type Reducer } from './aggregation.js';
import type { WiredProcessor } from './wired-processor.js';

/** Options of {@link aggregate}. */
export type KeyValueAggregateOptions<K, V, A> = AggregationStoreOptions<K, A> & AggregateFunctions<K, V, A>;

/**
 * Aggregates records per key into a timestamped key-value store (Kafka Streams'
 * `KStreamAggregate`): forwards the key's new aggregate at every record, timestamped with the
 * newest record of the key. Records without a key or value are dropped (`null-key`/`null-value`).
 *
 * @example
 * const totals = aggregate({ storeName: 'totals', backend: inMemoryBackend(), keySerde: Serdes.string(),
 *   aggregateSerde: Serdes.float64(), initializer: () => 0, aggregator: (_key, amount: number, total) => total + amount });
 */
export function aggregate<K, V, A>(options: KeyValueAggregateOptions<K, V, A>): WiredProcessor<K, V, K, A> {
  const store = Stores.timestampedKeyValueStoreBuilder({ name: options.storeName, backend: options.backend, keySerde: options.keySerde, valueSerde: options.aggregateSerde });
  return { supplier: () => new KeyValueAggregateProcessor(options), storeBuilders: [options.logging === false ? store.withLoggingDisabled() : store] };
}

/** `count()` per key. */
export function count<K>(options: CountOptions<AggregationStoreOptions<K, bigint>>): WiredProcessor<K, unknown, K, bigint> {
  return aggregate({ ...options, aggregateSerde: options.aggregateSerde as Serde<bigint>, ...countFunctions<K, unknown>() });
}

/** `reduce(reducer)` per key: the first value starts the aggregate. */
export function reduce<K, V>(options: AggregationStoreOptions<K, V> & { readonly reducer: Reducer<V> }): WiredProcessor<K, V, K, V> {
  return aggregate({ ...options, ...reduceFunctions<K, V>(options.reducer) });
}

class KeyValueAggregateProcessor<K, V, A> implements Processor<K, V, K, A> {
  #context!: ProcessorContext<K, A>;
  #store!: TimestampedKeyValueStore<K, A>;

  constructor(private readonly options: KeyValueAggregateOptions<K, V, A>) {}

  init(context: ProcessorContext<K, A>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.options.storeName);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) return this.#context.recordDropped('null-key');
    if (record.value === null || record.value === undefined) return this.#context.recordDropped('null-value');
    const old = this.#store.get(record.key);
    const updated = this.options.aggregator(record.key, record.value, old === undefined ? this.options.initializer() : old.value);
    const timestamp = old === undefined ? record.timestamp : Math.max(record.timestamp, old.timestamp);
    this.#store.put(record.key, { value: updated, timestamp });
    this.#context.forward(record.withValue(updated).withTimestamp(timestamp));
  }
}
