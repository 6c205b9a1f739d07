import { InvalidStateStoreError } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { bytes, drainKeys, hex } from './bytes.js';
import type { ConformanceContext } from './conformance-context.js';

/** Iterator life cycle and iteration while the store is written. */
export function iteratorCases(context: () => ConformanceContext): void {
  describe('iterators', () => {
    it('end after close() and may be closed twice', () => {
      const store = context().open();
      store.put(bytes(1), bytes(1));
      store.put(bytes(2), bytes(2));
      const iterator = store.range();
      expect(iterator.next().done).toBe(false);
      iterator.close();
      iterator.close();
      expect(iterator.next().done).toBe(true);
    });

    it('close when disposed by a using declaration', () => {
      const store = context().open();
      store.put(bytes(1), bytes(1));
      store.put(bytes(2), bytes(2));
      let escaped;
      {
        using iterator = store.prefixScan(bytes());
        iterator.next();
        escaped = iterator;
      }
      expect(escaped.next().done).toBe(true);
    });

    it('are iterable with for...of, and breaking out leaves the store usable', () => {
      const store = context().open();
      for (let value = 0; value < 10; value++) store.put(bytes(value), bytes(value));
      const seen: string[] = [];
      for (const { key } of store.range()) {
        seen.push(hex(key));
        if (seen.length === 3) break;
      }
      expect(seen).toEqual(['00', '01', '02']);
      store.put(bytes(20), bytes(20));
      expect(store.approximateNumEntries()).toBe(11);
    });

    it('run independently when several are open at once', () => {
      const store = context().open();
      for (let value = 0; value < 5; value++) store.put(bytes(value), bytes(value));
      using forward = store.range();
      using backward = store.range({ reverse: true });
      const pairs: string[] = [];
      for (let step = 0; step < 5; step++) pairs.push(`${hex(forward.next().value?.key ?? bytes())}/${hex(backward.next().value?.key ?? bytes())}`);
      expect(pairs).toEqual(['00/04', '01/03', '02/02', '03/01', '04/00']);
    });

    it('keep working while the store is written, returning untouched keys once and in order', () => {
      const store = context().open();
      for (let value = 0; value < 200; value += 2) store.put(bytes(value), bytes(value));
      const seen: number[] = [];
      using iterator = store.range();
      for (const { key } of iterator) {
        const value = key[0] as number;
        seen.push(value);
        if (value === 50) {
          store.put(bytes(51), bytes(51)); // ahead of the cursor
          store.put(bytes(1), bytes(1)); // behind the cursor
          store.delete(bytes(52)); // ahead of the cursor
          store.put(bytes(54), bytes(0)); // overwrite ahead
          store.putAll([{ key: bytes(199), value: bytes(1) }, { key: bytes(100), value: null }]);
        }
      }
      expect(seen).toEqual([...seen].sort((left, right) => left - right));
      expect(new Set(seen).size).toBe(seen.length);
      const touched = new Set([1, 51, 52, 54, 199, 100]);
      const untouched = Array.from({ length: 100 }, (_, index) => index * 2).filter((value) => !touched.has(value));
      expect(seen.filter((value) => !touched.has(value))).toEqual(untouched);
      expect(drainKeys(store.range({ from: bytes(50), to: bytes(54) }))).toEqual(['32', '33', '36']);
    });

    it('keep working in reverse while the store is written', () => {
      const store = context().open();
      for (let value = 0; value < 100; value++) store.put(bytes(value), bytes(value));
      const seen: number[] = [];
      for (const { key } of store.range({ reverse: true })) {
        seen.push(key[0] as number);
        if (key[0] === 60) for (let value = 0; value < 100; value += 3) store.delete(bytes(value));
      }
      expect(seen.slice(0, 40)).toEqual(Array.from({ length: 40 }, (_, index) => 99 - index));
      expect(seen).toEqual([...seen].sort((left, right) => right - left));
      expect(seen.filter((value) => value % 3 !== 0)).toEqual(Array.from({ length: 100 }, (_, index) => 99 - index).filter((value) => value % 3 !== 0));
    });

    it('throw InvalidStateStoreError when the store was closed while they were open', async () => {
      const store = context().open('closing');
      store.put(bytes(1), bytes(1));
      store.put(bytes(2), bytes(2));
      const iterator = store.range();
      iterator.next();
      await store.close();
      expect(() => iterator.next()).toThrow(InvalidStateStoreError);
      iterator.close();
    });
  });
}
