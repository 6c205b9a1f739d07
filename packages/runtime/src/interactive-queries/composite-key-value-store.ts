import type { KeyValueIterator, ReadOnlyKeyValueStore } from '@kstreams/core';
import { concatIterators } from './composite-iterator.js';
import { rethrowAsMigrated } from './store-provider.js';

/** Returns the stores to read now (every call re-resolves them: tasks move on rebalances). */
export type StoresSupplier<S> = () => readonly S[];

/**
 * One read-only key-value store over the same-named stores of every local task (Java's
 * `CompositeReadOnlyKeyValueStore`). Each call asks the supplier for the current stores, so a
 * view obtained once keeps working across rebalances, and throws `InvalidStateStoreError` while
 * the stores cannot be read. `get` returns the first value found (a key lives in one task);
 * ranges and scans run store after store: ordered within a task, not across tasks;
 * `approximateNumEntries` sums the tasks' estimates.
 */
export function compositeKeyValueStore<K, V>(storeName: string, stores: StoresSupplier<ReadOnlyKeyValueStore<K, V>>): ReadOnlyKeyValueStore<K, V> {
  const scan = (open: (store: ReadOnlyKeyValueStore<K, V>) => KeyValueIterator<K, V>): KeyValueIterator<K, V> =>
    concatIterators(stores().map((store) => () => rethrowAsMigrated(storeName, () => open(store))));
  return {
    get(key) {
      for (const store of stores()) {
        const value = rethrowAsMigrated(storeName, () => store.get(key));
        if (value !== undefined) return value;
      }
      return undefined;
    },
    getMany(keys) {
      const found: (V | undefined)[] = keys.map(() => undefined);
      for (const store of stores()) {
        const values = rethrowAsMigrated(storeName, () => store.getMany(keys));
        values.forEach((value, index) => (found[index] ??= value));
      }
      return found;
    },
    range: (from, to) => scan((store) => store.range(from, to)),
    reverseRange: (from, to) => scan((store) => store.reverseRange(from, to)),
    all: () => scan((store) => store.all()),
    reverseAll: () => scan((store) => store.reverseAll()),
    prefixScan: (prefix, prefixSerializer) => scan((store) => store.prefixScan(prefix, prefixSerializer)),
    approximateNumEntries() {
      let total = 0;
      for (const store of stores()) total += rethrowAsMigrated(storeName, () => store.approximateNumEntries());
      // As Java caps at Long.MAX_VALUE.
      return Math.min(total, Number.MAX_SAFE_INTEGER);
    },
  };
}
