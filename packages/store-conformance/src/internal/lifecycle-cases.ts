import { InvalidStateStoreError, type KeyValueBytesStore } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { bytes, drain } from './bytes.js';
import type { ConformanceContext } from './conformance-context.js';

const OPERATIONS: [string, (store: KeyValueBytesStore) => unknown][] = [
  ['get', (store) => store.get(bytes(1))],
  ['getMany', (store) => store.getMany([bytes(1)])],
  ['put', (store) => store.put(bytes(1), bytes(1))],
  ['putAll', (store) => store.putAll([{ key: bytes(1), value: bytes(1) }])],
  ['delete', (store) => store.delete(bytes(1))],
  ['deleteAll', (store) => store.deleteAll([bytes(1)])],
  ['range', (store) => store.range()],
  ['prefixScan', (store) => store.prefixScan(bytes(1))],
  ['approximateNumEntries', (store) => store.approximateNumEntries()],
];

/** Open, flush, close, reopen, destroy, and stores side by side. */
export function lifecycleCases(context: () => ConformanceContext): void {
  describe('life cycle', () => {
    it('opens a store with the location name and the backend persistence', () => {
      const { backend, open } = context();
      const store = open('counts');
      expect(store.name).toBe('counts');
      expect(store.persistent).toBe(backend.persistent);
      expect(store.isOpen).toBe(true);
    });

    it('keeps every write readable after flush', async () => {
      const store = context().open();
      store.put(bytes(1), bytes(1));
      await store.flush();
      expect(store.get(bytes(1))).toEqual(bytes(1));
    });

    it('closes idempotently', async () => {
      const store = context().open();
      await store.close();
      await store.close();
      expect(store.isOpen).toBe(false);
    });

    it.each(OPERATIONS)('throws InvalidStateStoreError naming the store from %s after close', async (_, operation) => {
      const store = context().open('closed-store');
      await store.close();
      expect(() => operation(store)).toThrow(InvalidStateStoreError);
      expect(() => operation(store)).toThrow(/closed-store/);
    });

    it('keeps data across close and reopen when persistent, and starts empty otherwise', async () => {
      const { backend, open } = context();
      const store = open('kept');
      store.put(bytes(1), bytes(10));
      await store.flush();
      await store.close();
      const reopened = open('kept');
      expect(drain(reopened.range())).toEqual(backend.persistent ? [['01', '0a']] : []);
      expect(reopened.approximateNumEntries()).toBe(backend.persistent ? 1 : 0);
    });

    it('removes the data on destroy, so the store reopens empty', async () => {
      const { open } = context();
      const store = open('doomed');
      store.put(bytes(1), bytes(1));
      await store.flush();
      await store.destroy();
      expect(store.isOpen).toBe(false);
      expect(drain(open('doomed').range())).toEqual([]);
    });

    it('destroys a store that was already closed', async () => {
      const { open } = context();
      const store = open('closed-then-destroyed');
      store.put(bytes(1), bytes(1));
      await store.close();
      await store.destroy();
      expect(open('closed-then-destroyed').get(bytes(1))).toBeUndefined();
    });
  });

  describe('several stores', () => {
    it('keeps stores and segments with different names independent', async () => {
      const { open } = context();
      const names = ['windows', 'windows.1', 'windows.2'];
      const stores = names.map((name) => open(name));
      stores.forEach((store, index) => store.put(bytes(1), bytes(index)));
      stores[0]?.put(bytes(2), bytes(2));
      expect(stores.map((store) => drain(store.range()))).toEqual([
        [['01', '00'], ['02', '02']],
        [['01', '01']],
        [['01', '02']],
      ]);
      await stores[1]?.destroy();
      expect(stores[0]?.get(bytes(1))).toEqual(bytes(0));
      expect(stores[2]?.get(bytes(1))).toEqual(bytes(2));
      expect(open('windows.1').approximateNumEntries()).toBe(0);
    });
  });
}
