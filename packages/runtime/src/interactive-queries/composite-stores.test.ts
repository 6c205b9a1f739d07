import { Serdes, Stores, type KeyValueStore, type SessionStore, type StateStore, type StateStoreContext, type ValueAndTimestamp, type WindowStore } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { concatIterators } from './composite-iterator.js';
import { QueryableStoreTypes } from './queryable-store-types.js';
import { StateStoreMigratedError } from './invalid-state-store-errors.js';

function context(taskId: string): StateStoreContext {
  return {
    applicationId: () => 'app',
    taskId: () => taskId,
    appConfigs: () => ({}),
    stateDirectory: () => undefined,
    currentStreamTimeMs: () => 10_000,
    register: () => {},
    changelogWriter: () => undefined,
    cacheBudget: () => undefined,
  };
}

function opened<S extends StateStore>(build: () => S, taskId: string): S {
  const store = build();
  void store.init(context(taskId));
  return store;
}

function twoKeyValueStores(): KeyValueStore<string, number>[] {
  const builder = Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }).withLoggingDisabled();
  const [first, second] = [opened(() => builder.build(), '0_0'), opened(() => builder.build(), '0_1')] as KeyValueStore<string, number>[];
  first!.put('a', 1);
  first!.put('c', 3);
  second!.put('b', 2);
  second!.put('d', 4);
  return [first!, second!];
}

const entries = <K, V>(iterator: Iterable<{ key: K; value: V }>): [K, V][] => [...iterator].map((entry) => [entry.key, entry.value]);

describe('the composite key-value store', () => {
  it('finds a key in whichever task holds it and sums the entry estimates', () => {
    const stores = twoKeyValueStores();
    const type = QueryableStoreTypes.keyValueStore<string, number>();
    const view = type.composite('counts', () => stores.map((store) => type.view(store, 'keyValue')));
    expect(view.get('a')).toBe(1);
    expect(view.get('d')).toBe(4);
    expect(view.get('zzz')).toBeUndefined();
    expect(view.getMany(['d', 'x', 'a'])).toEqual([4, undefined, 1]);
    expect(view.approximateNumEntries()).toBe(4);
  });

  it('runs ranges and scans task after task, each task in key order', () => {
    const stores = twoKeyValueStores();
    const type = QueryableStoreTypes.keyValueStore<string, number>();
    const view = type.composite('counts', () => stores.map((store) => type.view(store, 'keyValue')));
    expect(entries(view.all())).toEqual([['a', 1], ['c', 3], ['b', 2], ['d', 4]]);
    expect(entries(view.range('b', 'c'))).toEqual([['c', 3], ['b', 2]]);
    expect(entries(view.reverseAll())).toEqual([['c', 3], ['a', 1], ['d', 4], ['b', 2]]);
    expect(entries(view.prefixScan('d', Serdes.string()))).toEqual([['d', 4]]);
  });

  it('resolves the stores at every call', () => {
    const stores = twoKeyValueStores();
    const current: KeyValueStore<string, number>[] = [stores[0]!];
    const type = QueryableStoreTypes.keyValueStore<string, number>();
    const view = type.composite('counts', () => current.map((store) => type.view(store, 'keyValue')));
    expect(view.get('b')).toBeUndefined();
    current.push(stores[1]!);
    expect(view.get('b')).toBe(2);
  });

  it('turns a read of a store closed under it into a retriable StateStoreMigratedError', async () => {
    const stores = twoKeyValueStores();
    const type = QueryableStoreTypes.keyValueStore<string, number>();
    const view = type.composite('counts', () => stores.map((store) => type.view(store, 'keyValue')));
    await stores[0]!.close();
    const error = (() => {
      try {
        view.get('b');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(StateStoreMigratedError.isInstance(error)).toBe(true);
    expect((error as StateStoreMigratedError).retriable).toBe(true);
    expect((error as Error).message).toMatch(/"counts" is not available any more.*queryMetadataForKey/);
  });

  it('reads a timestamped store as a plain one without the timestamps, or with them as timestamped', () => {
    const builder = Stores.timestampedKeyValueStoreBuilder({ name: 'latest', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
    const store = opened(() => builder.build(), '0_0') as KeyValueStore<string, ValueAndTimestamp<string>>;
    store.put('k', { value: 'v', timestamp: 42 });
    const plain = QueryableStoreTypes.keyValueStore<string, string>().view(store, 'timestampedKeyValue');
    expect(plain.get('k')).toBe('v');
    expect(entries(plain.all())).toEqual([['k', 'v']]);
    expect(QueryableStoreTypes.timestampedKeyValueStore<string, string>().view(store, 'timestampedKeyValue').get('k')).toEqual({ value: 'v', timestamp: 42 });
  });

  it('offers no way to write through the view', () => {
    const [store] = twoKeyValueStores();
    const view = QueryableStoreTypes.keyValueStore<string, number>().view(store!, 'keyValue');
    expect('put' in view).toBe(false);
    expect('delete' in view).toBe(false);
  });
});

describe('the composite window store', () => {
  it('fetches a key from the task holding its windows and all windows task after task', () => {
    const builder = Stores.windowStoreBuilder({ name: 'per-second', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number(), windowSizeMs: 1_000, retentionMs: 60_000 }).withLoggingDisabled();
    const first = opened(() => builder.build(), '0_0') as WindowStore<string, number>;
    const second = opened(() => builder.build(), '0_1') as WindowStore<string, number>;
    first.put('a', 1, 1_000);
    first.put('a', 2, 2_000);
    second.put('b', 5, 1_000);
    const type = QueryableStoreTypes.windowStore<string, number>();
    const view = type.composite('per-second', () => [first, second].map((store) => type.view(store, 'window')));
    expect(entries(view.fetch('b', 0, 5_000))).toEqual([[1_000, 5]]);
    expect(entries(view.backwardFetch('a', 0, 5_000))).toEqual([[2_000, 2], [1_000, 1]]);
    expect(view.fetch('a', 2_000)).toBe(2);
    expect(entries(view.fetch('zzz', 0, 5_000))).toEqual([]);
    expect([...view.fetchAll(0, 5_000)].map((entry) => `${entry.key.key}@${entry.key.window.startMs}=${entry.value}`)).toEqual(['a@1000=1', 'a@2000=2', 'b@1000=5']);
  });
});

describe('the composite session store', () => {
  it('fetches a key from the task holding its sessions and finds sessions in a range over every task', () => {
    const builder = Stores.sessionStoreBuilder({ name: 'sessions', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number(), retentionMs: 60_000 }).withLoggingDisabled();
    const first = opened(() => builder.build(), '0_0') as SessionStore<string, number>;
    const second = opened(() => builder.build(), '0_1') as SessionStore<string, number>;
    first.put({ key: 'a', window: { startMs: 1_000, endMs: 2_000 } }, 3);
    second.put({ key: 'b', window: { startMs: 1_500, endMs: 1_800 } }, 7);
    const type = QueryableStoreTypes.sessionStore<string, number>();
    const view = type.composite('sessions', () => [first, second].map((store) => type.view(store, 'session')));
    expect([...view.fetch('b')].map((entry) => entry.value)).toEqual([7]);
    expect([...view.findSessions('a', 0, 5_000)].map((entry) => entry.value)).toEqual([3]);
    expect([...view.findSessions(undefined, undefined, 0, 5_000)].map((entry) => entry.key.key)).toEqual(['a', 'b']);
    expect(view.fetchSession('b', 1_500, 1_800)).toBe(7);
  });
});

describe('concatIterators', () => {
  it('opens each source only when reached and closes the open one on close()', () => {
    const opened: string[] = [];
    const closed: string[] = [];
    const source = (name: string, keys: string[]) => () => {
      opened.push(name);
      const entries = keys.map((key) => ({ key, value: name }));
      let index = 0;
      const iterator = {
        next: () => (index < entries.length ? { done: false as const, value: entries[index++]! } : { done: true as const, value: undefined }),
        peekNextKey: () => entries[index]?.key,
        close: () => closed.push(name),
        [Symbol.dispose]: () => closed.push(name),
        [Symbol.iterator]: () => iterator,
      };
      return iterator;
    };
    const all = concatIterators([source('one', ['a']), source('two', []), source('three', ['b', 'c'])]);
    expect(all.next().value).toEqual({ key: 'a', value: 'one' });
    expect(opened).toEqual(['one']);
    expect(all.peekNextKey()).toBe('b');
    all.close();
    expect(opened).toEqual(['one', 'two', 'three']);
    expect(closed).toEqual(['one', 'two', 'three']);
    expect(all.next().done).toBe(true);
  });
});
