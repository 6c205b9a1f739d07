import { VersionedKeyValueStoreBuilder, type VersionedKeyValueStoreOptions } from './versioned-key-value-store-builder.js';
import { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder, type KeyValueStoreOptions } from './key-value-store-builder.js';
import { SessionStoreBuilder, WindowStoreBuilder, type SessionStoreOptions, type WindowStoreOptions } from './windowed-store-builders.js';

/**
 * Factory of store builders, as Kafka Streams' `Stores`. Every store is layered
 * metered → caching (off by default) → change-logging (on by default) → the backend's bytes
 * store; window and session stores add time segments. Options are checked at once and errors
 * name the store.
 *
 * @example
 * const counts = Stores.keyValueStoreBuilder({
 *   name: 'counts',
 *   backend: inMemoryBackend(),
 *   keySerde: Serdes.string(),
 *   valueSerde: Serdes.number(),
 * }).withCachingEnabled();
 */
export const Stores = {
  /** A key-value store; ranges follow the byte order of serialized keys. */
  keyValueStoreBuilder<K, V>(options: KeyValueStoreOptions<K, V>): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(options);
  },

  /** A key-value store whose values carry the timestamp of the record that wrote them. */
  timestampedKeyValueStoreBuilder<K, V>(options: KeyValueStoreOptions<K, V>): TimestampedKeyValueStoreBuilder<K, V> {
    return new TimestampedKeyValueStoreBuilder(options);
  },

  /** A window store keeping windows for `retentionMs` of observed stream time. */
  windowStoreBuilder<K, V>(options: WindowStoreOptions<K, V>): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(options);
  },

  /** A versioned key-value store keeping superseded versions for `historyRetentionMs` (KIP-889). */
  versionedKeyValueStoreBuilder<K, V>(options: VersionedKeyValueStoreOptions<K, V>): VersionedKeyValueStoreBuilder<K, V> {
    return new VersionedKeyValueStoreBuilder(options);
  },

  /** A session store keeping sessions for `retentionMs` after they end. */
  sessionStoreBuilder<K, V>(options: SessionStoreOptions<K, V>): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilder(options);
  },
} as const;
