import type {
  KeyValueIterator,
  ReadOnlyKeyValueStore,
  ReadOnlySessionStore,
  ReadOnlyWindowStore,
  Windowed,
} from './state-store.js';

/**
 * A view of a key-value store with only its read methods, for interactive queries and the test
 * driver: writes are not reachable through it, even by casting.
 */
export function readOnlyKeyValueStore<K, V>(store: ReadOnlyKeyValueStore<K, V>): ReadOnlyKeyValueStore<K, V> {
  return {
    get: (key) => store.get(key),
    getMany: (keys) => store.getMany(keys),
    range: (from, to) => store.range(from, to),
    reverseRange: (from, to) => store.reverseRange(from, to),
    all: () => store.all(),
    reverseAll: () => store.reverseAll(),
    prefixScan: (prefix, prefixSerializer) => store.prefixScan(prefix, prefixSerializer),
    approximateNumEntries: () => store.approximateNumEntries(),
  };
}

/** A read-only view of a window store (see {@link readOnlyKeyValueStore}). */
export function readOnlyWindowStore<K, V>(store: ReadOnlyWindowStore<K, V>): ReadOnlyWindowStore<K, V> {
  function fetch(key: K, windowStartMs: number): V | undefined;
  function fetch(key: K, timeFromMs: number, timeToMs: number): KeyValueIterator<number, V>;
  function fetch(key: K, timeFromMs: number, timeToMs?: number): V | undefined | KeyValueIterator<number, V> {
    return timeToMs === undefined ? store.fetch(key, timeFromMs) : store.fetch(key, timeFromMs, timeToMs);
  }
  return {
    fetch,
    backwardFetch: (key, from, to) => store.backwardFetch(key, from, to),
    fetchRange: (keyFrom, keyTo, from, to) => store.fetchRange(keyFrom, keyTo, from, to),
    backwardFetchRange: (keyFrom, keyTo, from, to) => store.backwardFetchRange(keyFrom, keyTo, from, to),
    fetchAll: (from, to) => store.fetchAll(from, to),
    backwardFetchAll: (from, to) => store.backwardFetchAll(from, to),
    all: (): KeyValueIterator<Windowed<K>, V> => store.all(),
    backwardAll: () => store.backwardAll(),
  };
}

/** A read-only view of a session store (see {@link readOnlyKeyValueStore}). */
export function readOnlySessionStore<K, V>(store: ReadOnlySessionStore<K, V>): ReadOnlySessionStore<K, V> {
  type Sessions = KeyValueIterator<Windowed<K>, V>;
  type FindArguments = [K, number, number] | [K | undefined, K | undefined, number, number];
  type FetchArguments = [K] | [K | undefined, K | undefined];
  const call = <A extends unknown[]>(method: (...args: A) => Sessions, args: A): Sessions => method.apply(store, args);
  return {
    findSessions: ((...args: FindArguments) => call(store.findSessions as (...given: FindArguments) => Sessions, args)) as ReadOnlySessionStore<K, V>['findSessions'],
    backwardFindSessions: ((...args: FindArguments) => call(store.backwardFindSessions as (...given: FindArguments) => Sessions, args)) as ReadOnlySessionStore<K, V>['backwardFindSessions'],
    fetchSession: (key, start, end) => store.fetchSession(key, start, end),
    fetch: ((...args: FetchArguments) => call(store.fetch as (...given: FetchArguments) => Sessions, args)) as ReadOnlySessionStore<K, V>['fetch'],
    backwardFetch: ((...args: FetchArguments) => call(store.backwardFetch as (...given: FetchArguments) => Sessions, args)) as ReadOnlySessionStore<K, V>['backwardFetch'],
  };
}
