import { ConfigError } from '../errors/streams-error.js';
import type { Serde } from '../serde/serde.js';
import type { StoreBackend } from './bytes-store.js';
import { MeteredVersionedKeyValueStore } from './metered-versioned-key-value-store.js';
import { requireOption, StoreBuilderBase } from './store-builder-base.js';

/** Options of `Stores.versionedKeyValueStoreBuilder`. */
export interface VersionedKeyValueStoreOptions<K, V> {
  readonly name: string;
  readonly backend: StoreBackend;
  /** How long (in observed stream time) superseded versions stay readable. */
  readonly historyRetentionMs: number;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

/**
 * Builds a {@link MeteredVersionedKeyValueStore} per task (KIP-889). As in Kafka Streams a
 * versioned store has no cache: `withCachingEnabled()` is refused at build time.
 */
export class VersionedKeyValueStoreBuilder<K, V> extends StoreBuilderBase<MeteredVersionedKeyValueStore<K, V>> {
  readonly historyRetentionMs: number;

  constructor(private readonly options: VersionedKeyValueStoreOptions<K, V>) {
    super(options.name, options.backend);
    requireOption(options.name, 'keySerde', options.keySerde);
    requireOption(options.name, 'valueSerde', options.valueSerde);
    if (!Number.isSafeInteger(options.historyRetentionMs) || options.historyRetentionMs < 0) {
      throw new ConfigError(`State store "${options.name}": \`historyRetentionMs\` must be an integer >= 0 ms, got ${options.historyRetentionMs}.`);
    }
    this.historyRetentionMs = options.historyRetentionMs;
  }

  override withCachingEnabled(): this {
    throw new ConfigError(`State store "${this.name}" is versioned: versioned stores do not support caching. Remove withCachingEnabled().`);
  }

  build(): MeteredVersionedKeyValueStore<K, V> {
    return new MeteredVersionedKeyValueStore({
      name: this.name,
      backend: this.backend,
      historyRetentionMs: this.historyRetentionMs,
      keySerde: this.options.keySerde,
      valueSerde: this.options.valueSerde,
      logging: this.loggingEnabled,
    });
  }
}
