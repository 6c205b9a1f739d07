import type { KeyValueIterator, ReadOnlySessionStore, Windowed } from '@kstreams/core';
import { concatIterators, emptyIterator } from './composite-iterator.js';
import type { StoresSupplier } from './composite-key-value-store.js';
import { rethrowAsMigrated } from './store-provider.js';

type Sessions<K, V> = KeyValueIterator<Windowed<K>, V>;

/**
 * One read-only session store over the same-named session stores of every local task (Java's
 * `CompositeReadOnlySessionStore`): single-key reads return the first task that has sessions of
 * the key; key ranges run task after task. Stores are re-resolved on every call.
 */
export function compositeSessionStore<K, V>(storeName: string, stores: StoresSupplier<ReadOnlySessionStore<K, V>>): ReadOnlySessionStore<K, V> {
  const firstNonEmpty = (open: (store: ReadOnlySessionStore<K, V>) => Sessions<K, V>): Sessions<K, V> => {
    for (const store of stores()) {
      const sessions = rethrowAsMigrated(storeName, () => open(store));
      if (sessions.peekNextKey() !== undefined) return sessions;
      sessions.close();
    }
    return emptyIterator();
  };
  const scan = (open: (store: ReadOnlySessionStore<K, V>) => Sessions<K, V>): Sessions<K, V> =>
    concatIterators(stores().map((store) => () => rethrowAsMigrated(storeName, () => open(store))));
  /** One key: the first task with sessions; a key range (two bounds): every task. */
  const read = (args: readonly unknown[], keyArguments: number, open: (store: ReadOnlySessionStore<K, V>) => Sessions<K, V>): Sessions<K, V> =>
    args.length > keyArguments ? scan(open) : firstNonEmpty(open);
  type Method = (...args: unknown[]) => Sessions<K, V>;
  const call = (name: 'findSessions' | 'backwardFindSessions' | 'fetch' | 'backwardFetch', args: unknown[]) => (store: ReadOnlySessionStore<K, V>) =>
    (store[name] as Method).apply(store, args);
  return {
    findSessions: ((...args: unknown[]) => read(args, 3, call('findSessions', args))) as ReadOnlySessionStore<K, V>['findSessions'],
    backwardFindSessions: ((...args: unknown[]) => read(args, 3, call('backwardFindSessions', args))) as ReadOnlySessionStore<K, V>['backwardFindSessions'],
    fetch: ((...args: unknown[]) => read(args, 1, call('fetch', args))) as ReadOnlySessionStore<K, V>['fetch'],
    backwardFetch: ((...args: unknown[]) => read(args, 1, call('backwardFetch', args))) as ReadOnlySessionStore<K, V>['backwardFetch'],
    fetchSession(key, sessionStartMs, sessionEndMs) {
      for (const store of stores()) {
        const value = rethrowAsMigrated(storeName, () => store.fetchSession(key, sessionStartMs, sessionEndMs));
        if (value !== undefined) return value;
      }
      return undefined;
    },
  };
}
