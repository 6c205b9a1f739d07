import type { KeyValueIterator, ReadOnlyWindowStore, Windowed } from '@kstreams/core';
import { concatIterators, emptyIterator } from './composite-iterator.js';
import type { StoresSupplier } from './composite-key-value-store.js';
import { rethrowAsMigrated } from './store-provider.js';

/**
 * One read-only window store over the same-named window stores of every local task (Java's
 * `CompositeReadOnlyWindowStore`): single-key reads return the first task that has the key's
 * windows; key ranges and `fetchAll`/`all` run task after task. Stores are re-resolved on every
 * call (see `compositeKeyValueStore`).
 */
export function compositeWindowStore<K, V>(storeName: string, stores: StoresSupplier<ReadOnlyWindowStore<K, V>>): ReadOnlyWindowStore<K, V> {
  const firstNonEmpty = (open: (store: ReadOnlyWindowStore<K, V>) => KeyValueIterator<number, V>): KeyValueIterator<number, V> => {
    for (const store of stores()) {
      const windows = rethrowAsMigrated(storeName, () => open(store));
      if (windows.peekNextKey() !== undefined) return windows;
      windows.close();
    }
    return emptyIterator();
  };
  const scan = (open: (store: ReadOnlyWindowStore<K, V>) => KeyValueIterator<Windowed<K>, V>): KeyValueIterator<Windowed<K>, V> =>
    concatIterators(stores().map((store) => () => rethrowAsMigrated(storeName, () => open(store))));
  function fetch(key: K, windowStartMs: number): V | undefined;
  function fetch(key: K, timeFromMs: number, timeToMs: number): KeyValueIterator<number, V>;
  function fetch(key: K, timeFromMs: number, timeToMs?: number): V | undefined | KeyValueIterator<number, V> {
    if (timeToMs !== undefined) return firstNonEmpty((store) => store.fetch(key, timeFromMs, timeToMs));
    for (const store of stores()) {
      const value = rethrowAsMigrated(storeName, () => store.fetch(key, timeFromMs));
      if (value !== undefined) return value;
    }
    return undefined;
  }
  return {
    fetch,
    backwardFetch: (key, from, to) => firstNonEmpty((store) => store.backwardFetch(key, from, to)),
    fetchRange: (keyFrom, keyTo, from, to) => scan((store) => store.fetchRange(keyFrom, keyTo, from, to)),
    backwardFetchRange: (keyFrom, keyTo, from, to) => scan((store) => store.backwardFetchRange(keyFrom, keyTo, from, to)),
    fetchAll: (from, to) => scan((store) => store.fetchAll(from, to)),
    backwardFetchAll: (from, to) => scan((store) => store.backwardFetchAll(from, to)),
    all: () => scan((store) => store.all()),
    backwardAll: () => scan((store) => store.backwardAll()),
  };
}
