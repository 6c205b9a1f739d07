import { describe, expect, it } from 'vitest';
import { createCacheBudget } from './cache-budget.js';
import { Stores } from './stores.js';
import { SortedArrayBackend } from './testing/sorted-array-backend.js';
import { createTestContext } from './testing/test-context.js';
import { numberSerde, stringSerde, text } from './testing/test-serdes.js';

function openCachedStore(maxBytes = 10_000) {
  const backend = new SortedArrayBackend();
  const budget = createCacheBudget(maxBytes);
  const context = createTestContext({ cacheBudget: budget });
  const store = Stores.keyValueStoreBuilder({ name: 'cached', backend, keySerde: stringSerde, valueSerde: numberSerde })
    .withCachingEnabled()
    .build();
  store.init(context);
  const flushed: [string, number | undefined, number | undefined, number][] = [];
  store.setFlushListener((key, newValue, oldValue, timestampMs) => flushed.push([key, newValue, oldValue, timestampMs]));
  return { backend, budget, context, store, flushed };
}

describe('Caching store', () => {
  // Kafka Streams' NamedCache keeps dirty keys in a LinkedHashSet, re-added on every write.
  it('de-duplicates writes to one key until flush, then writes down in the order of the last writes', () => {
    const { backend, context, store, flushed } = openCachedStore();
    store.put('b', 1);
    store.put('a', 4);
    store.put('b', 2);
    context.recordTimestampMs = 9;
    store.put('a', 5);
    store.put('c', 6);
    expect(backend.store('cached')?.approximateNumEntries()).toBe(0);
    expect(context.logged).toEqual([]);
    store.flush();
    expect(flushed).toEqual([['b', 2, undefined, 0], ['a', 5, undefined, 9], ['c', 6, undefined, 9]]);
    expect(context.logged.map((record) => [text(record.key), text(record.value)])).toEqual([['b', '2'], ['a', '5'], ['c', '6']]);
    expect(backend.store('cached')?.approximateNumEntries()).toBe(3);
  });

  it('passes old values to the flush listener and sends deletes as tombstones', () => {
    const { context, store, flushed } = openCachedStore();
    store.put('a', 1);
    store.flush();
    store.put('a', 2);
    store.delete('a');
    store.flush();
    expect(flushed.at(-1)).toEqual(['a', undefined, 1, 0]);
    expect(context.logged.at(-1)?.value).toBeNull();
    expect(store.get('a')).toBeUndefined();
  });

  it('serves reads from the cache, and merges cache and store in byte order for ranges', () => {
    const { store } = openCachedStore();
    store.put('a', 1);
    store.put('c', 3);
    store.put('e', 5);
    store.flush();
    store.put('b', 2);
    store.put('c', 30);
    store.delete('e');
    expect(store.get('c')).toBe(30);
    expect([...store.all()].map((entry) => [entry.key, entry.value])).toEqual([['a', 1], ['b', 2], ['c', 30]]);
    expect([...store.reverseRange('a', 'd')].map((entry) => entry.key)).toEqual(['c', 'b', 'a']);
    expect([...store.prefixScan('b', stringSerde)].map((entry) => entry.value)).toEqual([2]);
  });

  it('evicts the least recently used entry over budget, writing dirty entries down first', () => {
    // Each entry costs 66 bytes (key, value, 64 bytes of bookkeeping): the third overflows.
    const { backend, budget, store, flushed } = openCachedStore(150);
    store.put('a', 1);
    store.put('b', 2);
    expect(flushed).toEqual([]);
    store.put('c', 3);
    expect(budget.usedBytes()).toBeLessThanOrEqual(150);
    // As in Kafka Streams, evicting a dirty entry first writes down every dirty entry, in write order.
    expect(flushed.map((entry) => entry[0])).toEqual(['a', 'b', 'c']);
    expect(backend.store('cached')?.get(new TextEncoder().encode('a'))).toBeDefined();
    expect(store.get('a')).toBe(1);
  });

  it('keeps every key readable and flushes each key once while evicting thousands of entries', () => {
    const { backend, budget, store, flushed } = openCachedStore(5_000);
    const keys = Array.from({ length: 3_000 }, (_, index) => `k${(index * 7919) % 3_000}`.padEnd(6, '-'));
    for (const [index, key] of keys.entries()) store.put(key, index);
    expect(budget.usedBytes()).toBeLessThanOrEqual(5_000);
    store.flush();
    expect(new Set(flushed.map((entry) => entry[0])).size).toBe(flushed.length);
    expect(flushed).toHaveLength(3_000);
    expect(backend.store('cached')?.approximateNumEntries()).toBe(3_000);
    for (const [index, key] of keys.entries()) expect(store.get(key)).toBe(index);
    expect([...store.all()].map((entry) => entry.key)).toEqual([...keys].sort());
  });

  it('shares one budget between stores and releases it when a store closes', async () => {
    const { budget, store } = openCachedStore();
    store.put('a', 1);
    expect(budget.usedBytes()).toBeGreaterThan(0);
    await store.close();
    expect(budget.usedBytes()).toBe(0);
  });

  it('caches window stores too, hiding writes from the segments until flush', () => {
    const backend = new SortedArrayBackend();
    const context = createTestContext({ cacheBudget: createCacheBudget(10_000) });
    const store = Stores.windowStoreBuilder({
      name: 'windows', backend, retentionMs: 120_000, windowSizeMs: 60_000, keySerde: stringSerde, valueSerde: numberSerde,
    }).withCachingEnabled().build();
    store.init(context);
    store.put('a', 1, 0);
    store.put('a', 2, 0);
    expect(backend.storeNames()).toEqual([]);
    expect([...store.fetch('a', 0, 0)].map((entry) => entry.value)).toEqual([2]);
    store.flush();
    expect(context.logged).toHaveLength(1);
    expect(backend.storeNames()).toEqual(['windows.0']);
  });

  it('writes through, telling the flush listener of every write, when the application has no cache budget', () => {
    const backend = new SortedArrayBackend();
    const store = Stores.keyValueStoreBuilder({ name: 'plain', backend, keySerde: stringSerde, valueSerde: numberSerde })
      .withCachingEnabled()
      .build();
    store.init(createTestContext());
    const flushed: [string, number | undefined, number | undefined][] = [];
    expect(store.setFlushListener((key, newValue, oldValue) => flushed.push([key, newValue, oldValue]))).toBe(true);
    store.put('a', 1);
    store.put('a', 2);
    expect(backend.store('plain')?.approximateNumEntries()).toBe(1);
    expect(flushed).toEqual([['a', 1, undefined], ['a', 2, 1]]);
  });
});
