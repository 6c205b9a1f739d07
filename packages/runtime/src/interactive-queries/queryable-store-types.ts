import {
  KeyValueStoreBuilder,
  readOnlyKeyValueStore,
  readOnlySessionStore,
  readOnlyWindowStore,
  SessionStoreBuilder,
  TimestampedKeyValueStoreBuilder,
  VersionedKeyValueStoreBuilder,
  WindowStoreBuilder,
  type KeyValueStore,
  type ReadOnlyKeyValueStore,
  type ReadOnlySessionStore,
  type ReadOnlyWindowStore,
  type StateStore,
  type StoreBuilder,
  type ValueAndTimestamp,
} from '@kstreams/core';
import { mapValues } from './composite-iterator.js';
import { compositeKeyValueStore, type StoresSupplier } from './composite-key-value-store.js';
import { compositeSessionStore } from './composite-session-store.js';
import { compositeWindowStore } from './composite-window-store.js';

/** What a store is, as far as queries care. */
export type QueryableStoreKind = 'keyValue' | 'timestampedKeyValue' | 'window' | 'session' | 'versioned' | 'unknown';

/**
 * What `streams.store()` returns for a kind of store, and which stores it accepts (Java's
 * `QueryableStoreType`). Get one from {@link QueryableStoreTypes}.
 */
export interface QueryableStoreType<T> {
  /** Shown in errors, e.g. `keyValueStore`. */
  readonly name: string;
  /** Whether a store of this kind can be read through this type. */
  accepts(kind: QueryableStoreKind): boolean;
  /** The read-only view of one task's store (a timestamped store read as a plain one loses its timestamps). */
  view(store: StateStore, kind: QueryableStoreKind): T;
  /** One view over the views of every local task, re-resolved on each call. */
  composite(storeName: string, stores: StoresSupplier<T>): T;
}

/** The kind of a built store, from the methods it has (and its builder, for timestamps). */
export function kindOfStore(store: StateStore, builder?: StoreBuilder<StateStore>): QueryableStoreKind {
  if ('historyRetentionMs' in store) return 'versioned';
  if ('findSessions' in store && 'fetchSession' in store) return 'session';
  if ('fetchAll' in store && 'windowSizeMs' in store) return 'window';
  if ('approximateNumEntries' in store && 'prefixScan' in store) return builder instanceof TimestampedKeyValueStoreBuilder ? 'timestampedKeyValue' : 'keyValue';
  return 'unknown';
}

/** The kind of store a builder makes, or `unknown` for custom builders (checked once a store is built). */
export function kindOfBuilder(builder: StoreBuilder<StateStore>): QueryableStoreKind {
  if (builder instanceof TimestampedKeyValueStoreBuilder) return 'timestampedKeyValue';
  if (builder instanceof KeyValueStoreBuilder) return 'keyValue';
  if (builder instanceof WindowStoreBuilder) return 'window';
  if (builder instanceof SessionStoreBuilder) return 'session';
  if (builder instanceof VersionedKeyValueStoreBuilder) return 'versioned';
  return 'unknown';
}

function keyValueView<K, V>(store: StateStore, kind: QueryableStoreKind): ReadOnlyKeyValueStore<K, V> {
  const typed = store as KeyValueStore<K, V>;
  if (kind !== 'timestampedKeyValue') return readOnlyKeyValueStore(typed);
  // Java's ReadOnlyKeyValueStoreFacade: a timestamped store read as a plain one yields the values only.
  const timestamped = store as KeyValueStore<K, ValueAndTimestamp<V>>;
  return {
    get: (key) => timestamped.get(key)?.value,
    getMany: (keys) => timestamped.getMany(keys).map((entry) => entry?.value),
    range: (from, to) => mapValues(timestamped.range(from, to), (entry) => entry.value),
    reverseRange: (from, to) => mapValues(timestamped.reverseRange(from, to), (entry) => entry.value),
    all: () => mapValues(timestamped.all(), (entry) => entry.value),
    reverseAll: () => mapValues(timestamped.reverseAll(), (entry) => entry.value),
    prefixScan: (prefix, serializer) => mapValues(timestamped.prefixScan(prefix, serializer), (entry) => entry.value),
    approximateNumEntries: () => timestamped.approximateNumEntries(),
  };
}

/**
 * The store types `streams.store()` can return (Java's `QueryableStoreTypes`). Each view is
 * read-only: writes are not reachable through it.
 *
 * - `keyValueStore<K, V>()`: plain and timestamped key-value stores (timestamps are dropped);
 * - `timestampedKeyValueStore<K, V>()`: timestamped key-value stores, values with their timestamp;
 * - `windowStore<K, V>()`: window stores, values as stored;
 * - `timestampedWindowStore<K, V>()`: window stores whose values are `ValueAndTimestamp<V>` (what
 *   the windowed aggregations of `@kstreams/windowing` keep);
 * - `sessionStore<K, V>()`: session stores.
 */
export const QueryableStoreTypes = {
  keyValueStore<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {
    return {
      name: 'keyValueStore',
      accepts: (kind) => kind === 'keyValue' || kind === 'timestampedKeyValue',
      view: (store, kind) => keyValueView<K, V>(store, kind),
      composite: (storeName, stores) => compositeKeyValueStore(storeName, stores),
    };
  },
  timestampedKeyValueStore<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>> {
    return {
      name: 'timestampedKeyValueStore',
      accepts: (kind) => kind === 'timestampedKeyValue',
      view: (store) => readOnlyKeyValueStore(store as KeyValueStore<K, ValueAndTimestamp<V>>),
      composite: (storeName, stores) => compositeKeyValueStore(storeName, stores),
    };
  },
  windowStore<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, V>> {
    return {
      name: 'windowStore',
      accepts: (kind) => kind === 'window',
      view: (store) => readOnlyWindowStore(store as unknown as ReadOnlyWindowStore<K, V>),
      composite: (storeName, stores) => compositeWindowStore(storeName, stores),
    };
  },
  timestampedWindowStore<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, ValueAndTimestamp<V>>> {
    return { ...QueryableStoreTypes.windowStore<K, ValueAndTimestamp<V>>(), name: 'timestampedWindowStore' };
  },
  sessionStore<K, V>(): QueryableStoreType<ReadOnlySessionStore<K, V>> {
    return {
      name: 'sessionStore',
      accepts: (kind) => kind === 'session',
      view: (store) => readOnlySessionStore(store as unknown as ReadOnlySessionStore<K, V>),
      composite: (storeName, stores) => compositeSessionStore(storeName, stores),
    };
  },
} as const;

/** What `streams.store()` takes (Java's `StoreQueryParameters`). */
export interface StoreQueryParameters<T> {
  readonly storeName: string;
  /** The kind of view, from {@link QueryableStoreTypes}. */
  readonly type: QueryableStoreType<T>;
  /** Only this partition's task (default: every local task of the store). */
  readonly partition?: number;
  /**
   * Also read restoring active tasks and standby replicas, and read while rebalancing (default
   * false): values may be behind the active copy.
   */
  readonly staleStoresEnabled?: boolean;
}
