import { createCacheBudget, Stores, type StateStore } from '@kstreams/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackendHarness, BackendHarnessFactory } from './backend-harness.js';
import { createTypedStoreContext, numberSerde, stringSerde, type TypedStoreContext } from './internal/typed-store-context.js';

const MINUTE = 60_000;

/**
 * Registers vitest suites that run the typed stores of `@kstreams/core` (key-value,
 * timestamped, window, session, versioned, built with `Stores`) on a backend, with caching off and on.
 * Complements {@link describeBackendConformance}: the layers above the bytes contract must
 * behave the same on every backend.
 *
 * @example
 * describeStoreConformance('lmdb', () => createBackendHarness(lmdbBackend()));
 */
export function describeStoreConformance(label: string, factory: BackendHarnessFactory): void {
  describe.each([false, true])(`typed store conformance: ${label} (caching %s)`, (caching) => {
    let harness: BackendHarness;
    let context: TypedStoreContext;
    const stores: StateStore[] = [];
    beforeEach(async () => {
      harness = await factory();
      context = createTypedStoreContext(harness);
      const budget = createCacheBudget(1024 * 1024);
      if (caching) context.cacheBudget = () => budget;
    });
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
      await harness.cleanup();
    });

    async function init<S extends StateStore>(builder: { withLoggingDisabled(): unknown; withCachingEnabled(): unknown; build(): S }): Promise<S> {
      builder.withLoggingDisabled();
      if (caching) builder.withCachingEnabled();
      const store = builder.build();
      stores.push(store);
      await store.init(context);
      return store;
    }

    const keyValueBuilder = () => Stores.keyValueStoreBuilder({ name: 'counts', backend: harness.backend, keySerde: stringSerde, valueSerde: numberSerde });

    it('key-value store reads, writes, deletes and scans in serialized key order', async () => {
      const store = await init(keyValueBuilder());
      for (const [key, value] of [['b', 2], ['a', 1], ['ab', 12], ['c', 3]] as const) store.put(key, value);
      expect(store.putIfAbsent('a', 9)).toBe(1);
      expect(store.delete('c')).toBe(3);
      expect(store.getMany(['a', 'c', 'ab'])).toEqual([1, undefined, 12]);
      expect([...store.all()].map((entry) => entry.key)).toEqual(['a', 'ab', 'b']);
      expect([...store.reverseRange('a', 'ab')].map((entry) => entry.key)).toEqual(['ab', 'a']);
      expect([...store.prefixScan('a', stringSerde)].map((entry) => entry.value)).toEqual([1, 12]);
      await store.flush();
      expect(store.approximateNumEntries()).toBe(3);
    });

    it('key-value store keeps its data across close and reopen only on persistent backends', async () => {
      const store = await init(keyValueBuilder());
      store.put('kept', 1);
      await store.flush();
      await store.close();
      const reopened = await init(keyValueBuilder());
      expect(reopened.get('kept')).toBe(harness.backend.persistent ? 1 : undefined);
    });

    it('timestamped key-value store returns the value with its timestamp', async () => {
      const builder = Stores.timestampedKeyValueStoreBuilder({ name: 'latest', backend: harness.backend, keySerde: stringSerde, valueSerde: numberSerde });
      const store = await init(builder);
      store.put('a', { value: 5, timestamp: 1_700_000_000_000 });
      expect(store.get('a')).toEqual({ value: 5, timestamp: 1_700_000_000_000 });
    });

    it('window store fetches windows by key and time and drops expired windows', async () => {
      const builder = Stores.windowStoreBuilder({
        name: 'windows', backend: harness.backend, retentionMs: 4 * MINUTE, windowSizeMs: MINUTE, keySerde: stringSerde, valueSerde: numberSerde,
      });
      const store = await init(builder);
      store.put('a', 1, 0);
      store.put('a', 2, MINUTE);
      store.put('b', 3, MINUTE);
      expect(store.fetch('a', MINUTE)).toBe(2);
      expect([...store.fetch('a', 0, MINUTE)].map((entry) => entry.value)).toEqual([1, 2]);
      expect([...store.backwardFetch('a', 0, MINUTE)].map((entry) => entry.key)).toEqual([MINUTE, 0]);
      expect([...store.fetchAll(MINUTE, MINUTE)].map((entry) => entry.key.key)).toEqual(['a', 'b']);
      context.streamTimeMs = 20 * MINUTE;
      store.put('a', 4, 20 * MINUTE);
      expect(store.fetch('a', 0)).toBeUndefined();
      expect([...store.all()].map((entry) => entry.value)).toEqual([4]);
    });

    // KIP-889 versioned store on the bytes contract: versions ordered by key then time, looked
    // up as of a timestamp, tombstones as versions, history bounded by the retention.
    it('versioned key-value store returns the version valid at a time and keeps tombstones', async () => {
      const store = Stores.versionedKeyValueStoreBuilder({ name: 'versions', backend: harness.backend, historyRetentionMs: 100, keySerde: stringSerde, valueSerde: numberSerde })
        .withLoggingDisabled()
        .build();
      stores.push(store);
      await store.init(context);
      store.put('a', 1, 10);
      store.put('ab', 7, 12);
      store.put('a', 3, 30);
      expect(store.put('a', 2, 20)).toBe(30);
      store.delete('a', 40);
      expect(store.get('a')).toBeUndefined();
      expect(store.get('a', 25)).toEqual({ value: 2, timestamp: 20, validToMs: 30 });
      expect(store.get('a', 35)?.value).toBe(3);
      expect(store.get('ab', 35)?.value).toBe(7);
      expect(store.put('a', 9, 200)).toBe(-1);
      expect(store.get('a', 50)).toBeUndefined(); // older than 200 - 100
      expect(store.get('a', 150)).toBeUndefined(); // the tombstone from 40 is valid until 200
      await store.flush();
    });

    it('session store finds, fetches and removes sessions', async () => {
      const builder = Stores.sessionStoreBuilder({ name: 'sessions', backend: harness.backend, retentionMs: 10 * MINUTE, keySerde: stringSerde, valueSerde: numberSerde });
      const store = await init(builder);
      store.put({ key: 'a', window: { startMs: 0, endMs: 10 } }, 1);
      store.put({ key: 'a', window: { startMs: 100, endMs: 200 } }, 2);
      store.put({ key: 'b', window: { startMs: 0, endMs: 50 } }, 3);
      expect(store.fetchSession('a', 100, 200)).toBe(2);
      expect([...store.findSessions('a', 5, 150)].map((entry) => entry.value)).toEqual([1, 2]);
      expect([...store.findSessions('a', 11, 99)]).toEqual([]);
      store.remove({ key: 'a', window: { startMs: 0, endMs: 10 } });
      expect([...store.fetch('a')].map((entry) => entry.key.window)).toEqual([{ startMs: 100, endMs: 200 }]);
    });
  });
}
