export type {
  BytesEntry,
  BytesIterator,
  BytesRangeOptions,
  KeyValueBytesStore,
  StoreBackend,
  StoreLocation,
} from './bytes-store.js';
export type {
  CacheBudget,
  ChangelogWriter,
  KeyValue,
  KeyValueIterator,
  KeyValueStore,
  LogConfig,
  ReadOnlyKeyValueStore,
  ReadOnlySessionStore,
  ReadOnlyWindowStore,
  SessionStore,
  StateRestoreCallback,
  StateStore,
  StateStoreContext,
  StoreBuilder,
  TimestampedKeyValueStore,
  ValueAndTimestamp,
  VersionedKeyValueStore,
  VersionedRecord,
  Window,
  WindowStore,
  Windowed,
} from './state-store.js';
export { createCacheBudget } from './cache-budget.js';
export { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder, type KeyValueStoreOptions } from './key-value-store-builder.js';
export { MeteredKeyValueStore, type CacheFlushListener, type MeteredKeyValueStoreOptions } from './metered-key-value-store.js';
export { MeteredSessionStore, type MeteredSessionStoreOptions } from './metered-session-store.js';
export { MeteredWindowStore, type MeteredWindowStoreOptions } from './metered-window-store.js';
export { readOnlyKeyValueStore, readOnlySessionStore, readOnlyWindowStore } from './read-only-views.js';
export { StoreBuilderBase, validateStoreName } from './store-builder-base.js';
export { Stores } from './stores.js';
export { timestampOfValueAndTimestamp, valueAndTimestampSerde } from './value-and-timestamp-serde.js';
export {
  SessionStoreBuilder,
  WindowStoreBuilder,
  type SessionStoreOptions,
  type WindowStoreOptions,
} from './windowed-store-builders.js';
export {
  MeteredVersionedKeyValueStore,
  PUT_RETURN_CODE_NOT_PUT,
  VALID_TO_UNDEFINED,
  type MeteredVersionedKeyValueStoreOptions,
} from './metered-versioned-key-value-store.js';
export { VersionedKeyValueStoreBuilder, type VersionedKeyValueStoreOptions } from './versioned-key-value-store-builder.js';
