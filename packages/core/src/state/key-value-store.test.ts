import { describe, expect, it } from 'vitest';
import { InvalidStateStoreError } from '../errors/streams-error.js';
import { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder } from './key-value-store-builder.js';
import { SortedArrayBackend } from './testing/sorted-array-backend.js';
import { createTestContext } from './testing/test-context.js';
import { numberSerde, stringSerde, text } from './testing/test-serdes.js';

function openStore(options: { logging?: boolean } = {}) {
  const backend = new SortedArrayBackend();
  const context = createTestContext(options);
  const store = new KeyValueStoreBuilder({ name: 'counts', backend, keySerde: stringSerde, valueSerde: numberSerde }).build();
  store.init(context);
  return { backend, context, store };
}

function keysOf<K>(iterator: Iterable<{ key: K }>): K[] {
  return [...iterator].map((entry) => entry.key);
}

describe('KeyValueStore', () => {
  it('puts, gets and deletes values', () => {
    const { store } = openStore();
    store.put('a', 1);
    expect(store.get('a')).toBe(1);
    expect(store.delete('a')).toBe(1);
    expect(store.get('a')).toBeUndefined();
    store.put('b', 2);
    store.put('b', null);
    expect(store.get('b')).toBeUndefined();
  });

  it('writes with putIfAbsent only when the key is missing', () => {
    const { store } = openStore();
    expect(store.putIfAbsent('a', 1)).toBeUndefined();
    expect(store.putIfAbsent('a', 2)).toBe(1);
    expect(store.get('a')).toBe(1);
  });

  it('handles batches with putAll, getMany and deleteAll', () => {
    const { store } = openStore();
    store.putAll([{ key: 'a', value: 1 }, { key: 'b', value: 2 }, { key: 'c', value: 3 }]);
    expect(store.getMany(['c', 'x', 'a'])).toEqual([3, undefined, 1]);
    store.deleteAll(['a', 'c']);
    expect(keysOf(store.all())).toEqual(['b']);
    expect(store.approximateNumEntries()).toBe(1);
  });

  it('returns ranges in the byte order of serialized keys, with open bounds', () => {
    const { store } = openStore();
    for (const key of ['b', 'a', 'ab', 'c', 'B']) store.put(key, 1);
    expect(keysOf(store.all())).toEqual(['B', 'a', 'ab', 'b', 'c']);
    expect(keysOf(store.range('a', 'b'))).toEqual(['a', 'ab', 'b']);
    expect(keysOf(store.range(undefined, 'a'))).toEqual(['B', 'a']);
    expect(keysOf(store.range('b', undefined))).toEqual(['b', 'c']);
    expect(keysOf(store.reverseRange('a', 'b'))).toEqual(['b', 'ab', 'a']);
    expect(keysOf(store.reverseAll())).toEqual(['c', 'b', 'ab', 'a', 'B']);
    expect(keysOf(store.range('c', 'a'))).toEqual([]);
  });

  it('scans keys by serialized prefix', () => {
    const { store } = openStore();
    for (const key of ['user:1', 'user:2', 'order:1', 'user']) store.put(key, 1);
    expect(keysOf(store.prefixScan('user:', stringSerde))).toEqual(['user:1', 'user:2']);
  });

  it('peeks the next key without consuming it', () => {
    const { store } = openStore();
    store.put('a', 1);
    store.put('b', 2);
    using iterator = store.all();
    expect(iterator.peekNextKey()).toBe('a');
    expect(iterator.next().value).toEqual({ key: 'a', value: 1 });
    expect(iterator.peekNextKey()).toBe('b');
    iterator.next();
    expect(iterator.peekNextKey()).toBeUndefined();
  });

  it('closes backend iterators on close, on `using`, on exhaustion and when the store closes', () => {
    const { backend, store } = openStore();
    store.put('a', 1);
    store.put('b', 2);
    const early = store.all();
    early.next();
    early.close();
    {
      using scoped = store.range('a', 'b');
      scoped.next();
    }
    expect([...store.all()]).toHaveLength(2);
    expect(backend.openIterators()).toBe(0);
    const leaked = store.all();
    expect(backend.openIterators()).toBe(1);
    store.close();
    expect(backend.openIterators()).toBe(0);
    expect(leaked.next().done).toBe(true);
  });

  it('throws InvalidStateStoreError naming the store when used before init or after close', () => {
    const { store } = openStore();
    store.close();
    expect(() => store.get('a')).toThrow(InvalidStateStoreError);
    expect(() => store.put('a', 1)).toThrow(/"counts"/);
    const unopened = new KeyValueStoreBuilder({ name: 'idle', backend: new SortedArrayBackend(), keySerde: stringSerde, valueSerde: numberSerde }).build();
    expect(() => unopened.all()).toThrow(/"idle" is not open/);
  });

  it('logs every put and delete to the changelog, deletes as tombstones', () => {
    const { context, store } = openStore();
    context.recordTimestampMs = 42;
    store.put('a', 1);
    store.delete('a');
    store.putAll([{ key: 'b', value: 2 }, { key: 'c', value: null }]);
    expect(context.logged.map((record) => [record.store, text(record.key), text(record.value), record.timestampMs])).toEqual([
      ['counts', 'a', '1', 42],
      ['counts', 'a', null, 42],
      ['counts', 'b', '2', 42],
      ['counts', 'c', null, 42],
    ]);
  });

  it('logs nothing when logging is disabled on the builder', () => {
    const backend = new SortedArrayBackend();
    const context = createTestContext();
    const store = new KeyValueStoreBuilder({ name: 'quiet', backend, keySerde: stringSerde, valueSerde: numberSerde })
      .withLoggingDisabled()
      .build();
    store.init(context);
    store.put('a', 1);
    expect(context.logged).toEqual([]);
  });

  it('registers a restore callback that writes changelog records into the bytes store without logging', () => {
    const { context, store } = openStore();
    const restore = context.restoreCallbacks.get('counts');
    const encode = (value: string) => new TextEncoder().encode(value);
    restore?.([{ key: encode('a'), value: encode('7') }, { key: encode('b'), value: encode('8') }, { key: encode('b'), value: null }]);
    expect(store.get('a')).toBe(7);
    expect(store.get('b')).toBeUndefined();
    expect(context.logged).toEqual([]);
  });
});

describe('TimestampedKeyValueStore', () => {
  it('stores an 8-byte big-endian timestamp before the value and logs with that timestamp', () => {
    const backend = new SortedArrayBackend();
    const context = createTestContext();
    const store = new TimestampedKeyValueStoreBuilder({ name: 'latest', backend, keySerde: stringSerde, valueSerde: numberSerde }).build();
    store.init(context);
    store.put('a', { value: 5, timestamp: 258 });
    expect(store.get('a')).toEqual({ value: 5, timestamp: 258 });
    const raw = backend.store('latest')?.get(new TextEncoder().encode('a'));
    expect([...(raw ?? [])]).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 0x35]);
    expect(context.logged[0]?.timestampMs).toBe(258);
  });
});
