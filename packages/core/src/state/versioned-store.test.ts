import { describe, expect, it } from 'vitest';
import { PUT_RETURN_CODE_NOT_PUT, VALID_TO_UNDEFINED } from './metered-versioned-key-value-store.js';
import { Stores } from './stores.js';
import { SortedArrayBackend } from './testing/sorted-array-backend.js';
import { createTestContext } from './testing/test-context.js';
import { numberSerde, stringSerde } from './testing/test-serdes.js';

function openVersionedStore(historyRetentionMs = 100, backend = new SortedArrayBackend()) {
  const context = createTestContext();
  const store = Stores.versionedKeyValueStoreBuilder({ name: 'prices', backend, historyRetentionMs, keySerde: stringSerde, valueSerde: numberSerde }).build();
  store.init(context);
  return { backend, context, store };
}

// Kafka Streams' VersionedKeyValueStore (KIP-889): get(key, asOf) returns the version with the
// greatest timestamp <= asOf, valid until the next version; put returns that valid-to time
// (-1 for the latest, NOT_PUT when older than the history retention).
describe('VersionedKeyValueStore', () => {
  it('returns the latest version and the version valid at a given time', () => {
    const { store } = openVersionedStore();
    expect(store.put('a', 1, 10)).toBe(VALID_TO_UNDEFINED);
    expect(store.put('a', 2, 20)).toBe(VALID_TO_UNDEFINED);
    expect(store.get('a')).toEqual({ value: 2, timestamp: 20, validToMs: undefined });
    expect(store.get('a', 15)).toEqual({ value: 1, timestamp: 10, validToMs: 20 });
    expect(store.get('a', 20)?.value).toBe(2);
    expect(store.get('a', 9)).toBeUndefined();
    expect(store.get('b')).toBeUndefined();
  });

  it('inserts out-of-order versions into the history and returns when they stop being valid', () => {
    const { store } = openVersionedStore();
    store.put('a', 1, 10);
    store.put('a', 3, 30);
    expect(store.put('a', 2, 20)).toBe(30);
    expect(store.get('a', 25)).toEqual({ value: 2, timestamp: 20, validToMs: 30 });
    expect(store.get('a', 15)).toEqual({ value: 1, timestamp: 10, validToMs: 20 });
    expect(store.put('a', 20, 20)).toBe(30); // same timestamp: replaced
    expect(store.get('a', 20)?.value).toBe(20);
  });

  it('keeps tombstones as versions: a deleted key has no value from then on', () => {
    const { store } = openVersionedStore();
    store.put('a', 1, 10);
    expect(store.delete('a', 20)).toEqual({ value: 1, timestamp: 10, validToMs: undefined });
    expect(store.get('a')).toBeUndefined();
    expect(store.get('a', 25)).toBeUndefined();
    expect(store.get('a', 15)?.value).toBe(1);
    store.put('a', 3, 30);
    expect(store.get('a')?.value).toBe(3);
  });

  it('refuses writes and reads older than the history retention and drops expired versions', () => {
    const { backend, store } = openVersionedStore(50);
    store.put('a', 1, 10);
    store.put('a', 2, 20);
    store.put('a', 3, 100); // earliest readable: 50
    expect(store.put('a', 9, 40)).toBe(PUT_RETURN_CODE_NOT_PUT);
    expect(store.get('a', 49)).toBeUndefined();
    expect(store.get('a', 60)).toEqual({ value: 2, timestamp: 20, validToMs: 100 });
    // Version 1 stopped being valid at 20 <= 50: it is gone; version 2 is still needed for [50, 100).
    expect(backend.store('prices')?.approximateNumEntries()).toBe(2);
  });

  it('logs each version with its timestamp and rebuilds the history from the changelog', () => {
    const { context, store } = openVersionedStore();
    store.put('a', 1, 10);
    store.put('a', null, 20);
    store.put('a', 3, 30);
    expect(context.logged.map((record) => record.timestampMs)).toEqual([10, 20, 30]);
    const restored = openVersionedStore();
    restored.context.restoreCallbacks.get('prices')?.(context.logged.map(({ key, value }) => ({ key, value })));
    expect(restored.store.get('a', 15)?.value).toBe(1);
    expect(restored.store.get('a', 25)).toBeUndefined();
    expect(restored.store.get('a')?.value).toBe(3);
  });

  it('refuses caching at build time, naming the store', () => {
    expect(() => Stores.versionedKeyValueStoreBuilder({ name: 'prices', backend: new SortedArrayBackend(), historyRetentionMs: 1, keySerde: stringSerde, valueSerde: numberSerde }).withCachingEnabled()).toThrow(
      /State store "prices" is versioned: versioned stores do not support caching/,
    );
  });
});
