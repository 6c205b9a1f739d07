import type { Serde } from '../serde/serde.js';
import type { StoreBackend } from './bytes-store.js';
import { BackendBytesLayer } from './internals/backend-bytes-layer.js';
import { MeteredKeyValueStore } from './metered-key-value-store.js';
import type { ValueAndTimestamp } from './state-store.js';
import { requireSerde, StoreBuilderBase } from './store-builder-base.js';
import { timestampOfValueAndTimestamp, valueAndTimestampSerde } from './value-and-timestamp-serde.js';

/** Options of `Stores.keyValueStoreBuilder` and `Stores.timestampedKeyValueStoreBuilder`. */
export interface KeyValueStoreOptions<K, V> {
  readonly name: string;
  readonly backend: StoreBackend;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

/** Builds a {@link MeteredKeyValueStore} per task: metered → caching? → logging? → backend. */
export class KeyValueStoreBuilder<K, V> extends StoreBuilderBase<MeteredKeyValueStore<K, V>> {
  constructor(private readonly options: KeyValueStoreOptions<K, V>) {
    super(options.name, options.backend);
    requireSerde(options.name, 'keySerde', options.keySerde);
    requireSerde(options.name, 'valueSerde', options.valueSerde);
  }

  build(): MeteredKeyValueStore<K, V> {
    return new MeteredKeyValueStore({
      name: this.name,
      layers: this.stack(new BackendBytesLayer(this.name, this.backend)),
      keySerde: this.options.keySerde,
      valueSerde: this.options.valueSerde,
      storeType: `${this.backend.kind}-state`,
    });
  }
}

/**
 * Builds a timestamped key-value store: values are stored as an 8-byte timestamp followed by
 * the value (as Kafka Streams' `ValueAndTimestamp`), and changelog records carry that timestamp.
 */
export class TimestampedKeyValueStoreBuilder<K, V> extends StoreBuilderBase<MeteredKeyValueStore<K, ValueAndTimestamp<V>>> {
  constructor(private readonly options: KeyValueStoreOptions<K, V>) {
    super(options.name, options.backend);
    requireSerde(options.name, 'keySerde', options.keySerde);
    requireSerde(options.name, 'valueSerde', options.valueSerde);
  }

  build(): MeteredKeyValueStore<K, ValueAndTimestamp<V>> {
    const bytes = new BackendBytesLayer(this.name, this.backend);
    return new MeteredKeyValueStore({
      name: this.name,
      layers: this.stack(bytes, { changelogTimestamp: timestampOfValueAndTimestamp }),
      keySerde: this.options.keySerde,
      valueSerde: valueAndTimestampSerde(this.options.valueSerde),
      storeType: `${this.backend.kind}-timestamped-state`,
    });
  }
}
