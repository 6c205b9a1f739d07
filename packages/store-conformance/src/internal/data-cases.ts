import { describe, expect, it } from 'vitest';
import { bytes, drain, drainKeys, hex } from './bytes.js';
import type { ConformanceContext } from './conformance-context.js';

/** Big-endian 4-byte key, so numeric and byte order agree. */
function numberKey(value: number): Uint8Array {
  return bytes(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** Reads, writes, batches, sizes and counts. */
export function dataCases(context: () => ConformanceContext): void {
  describe('get and put', () => {
    it('returns undefined for a missing key', () => {
      expect(context().open().get(bytes(1))).toBeUndefined();
    });

    it('returns the value last written for a key', () => {
      const store = context().open();
      store.put(bytes(1), bytes(10));
      store.put(bytes(1), bytes(11, 12));
      expect(store.get(bytes(1))).toEqual(bytes(11, 12));
      expect(store.approximateNumEntries()).toBe(1);
    });

    it('keeps an empty value as a value, not a delete', () => {
      const store = context().open();
      store.put(bytes(1), bytes());
      expect(store.get(bytes(1))).toEqual(bytes());
      expect(drain(store.range())).toEqual([['01', '']]);
    });

    it('copies keys and values on put so callers can reuse their buffers', () => {
      const store = context().open();
      const key = Buffer.from([1, 2]);
      const value = new Uint8Array([7, 7]);
      store.put(key, value);
      key[1] = 3;
      value[0] = 9;
      expect(store.get(bytes(1, 2))).toEqual(bytes(7, 7));
      expect(store.get(bytes(1, 3))).toBeUndefined();
    });

    it('finds a key given as a view into a larger buffer', () => {
      const store = context().open();
      const backing = bytes(0, 5, 6, 0);
      store.put(backing.subarray(1, 3), bytes(1));
      expect(store.get(bytes(5, 6))).toEqual(bytes(1));
      expect(drainKeys(store.range())).toEqual(['0506']);
    });

    it('stores and returns a 1 MiB value', () => {
      const store = context().open();
      const value = new Uint8Array(1024 * 1024).map((_, index) => index % 251);
      store.put(bytes(1), value);
      expect(hex(store.get(bytes(1)) ?? bytes())).toBe(hex(value));
    });
  });

  describe('getMany', () => {
    it('returns values in the order of the keys, undefined for missing keys', () => {
      const store = context().open();
      store.put(bytes(1), bytes(10));
      store.put(bytes(3), bytes(30));
      expect(store.getMany([bytes(3), bytes(2), bytes(1), bytes(3)])).toEqual([bytes(30), undefined, bytes(10), bytes(30)]);
      expect(store.getMany([])).toEqual([]);
    });
  });

  describe('delete', () => {
    it('returns the old value and removes the key', () => {
      const store = context().open();
      store.put(bytes(1), bytes(10));
      expect(store.delete(bytes(1))).toEqual(bytes(10));
      expect(store.get(bytes(1))).toBeUndefined();
      expect(store.approximateNumEntries()).toBe(0);
    });

    it('returns undefined for a missing key', () => {
      const store = context().open();
      store.put(bytes(1), bytes(10));
      expect(store.delete(bytes(2))).toBeUndefined();
      expect(store.get(bytes(1))).toEqual(bytes(10));
    });

    it('returns an empty old value as an empty array', () => {
      const store = context().open();
      store.put(bytes(1), bytes());
      expect(store.delete(bytes(1))).toEqual(bytes());
    });
  });

  describe('batches', () => {
    it('putAll writes every entry and deletes keys whose value is null', () => {
      const store = context().open();
      store.put(bytes(2), bytes(20));
      store.putAll([
        { key: bytes(1), value: bytes(10) },
        { key: bytes(2), value: null },
        { key: bytes(3), value: bytes(30) },
        { key: bytes(4), value: null },
      ]);
      expect(drain(store.range())).toEqual([['01', '0a'], ['03', '1e']]);
    });

    it('putAll applies entries in order, so the last entry for a key wins', () => {
      const store = context().open();
      store.putAll([
        { key: bytes(1), value: bytes(1) },
        { key: bytes(1), value: null },
        { key: bytes(2), value: null },
        { key: bytes(2), value: bytes(2) },
      ]);
      expect(drain(store.range())).toEqual([['02', '02']]);
    });

    it('putAll copies the buffers it is given', () => {
      const store = context().open();
      const buffer = bytes(1, 1);
      store.putAll([{ key: buffer, value: buffer }]);
      buffer.fill(9);
      expect(drain(store.range())).toEqual([['0101', '0101']]);
    });

    it('deleteAll removes every listed key and ignores missing ones', () => {
      const store = context().open();
      for (let value = 1; value <= 4; value++) store.put(bytes(value), bytes(value));
      store.deleteAll([bytes(1), bytes(3), bytes(9)]);
      expect(drainKeys(store.range())).toEqual(['02', '04']);
      store.deleteAll([]);
      expect(store.approximateNumEntries()).toBe(2);
    });
  });

  describe('many keys', () => {
    it('holds 50,000 keys in order and counts them', { timeout: 30_000 }, () => {
      const store = context().open();
      const count = 50_000;
      // A stride coprime with the count visits every key once, out of order.
      const entries = Array.from({ length: count }, (_, index) => ({ key: numberKey((index * 7919) % count), value: bytes(index & 0xff) }));
      store.putAll(entries);
      expect(store.approximateNumEntries()).toBe(count);
      const keys = drainKeys(store.range());
      expect(keys.length).toBe(count);
      expect(keys.every((key, index) => key === hex(numberKey(index)))).toBe(true);
      expect(drainKeys(store.range({ from: numberKey(25_000), to: numberKey(25_002), reverse: true }))).toEqual(
        [25_002, 25_001, 25_000].map((value) => hex(numberKey(value))),
      );
      store.deleteAll(entries.slice(0, count / 2).map((entry) => entry.key));
      expect(store.approximateNumEntries()).toBe(count / 2);
    });
  });

  describe('approximateNumEntries', () => {
    it('counts puts, overwrites and deletes', () => {
      const store = context().open();
      expect(store.approximateNumEntries()).toBe(0);
      store.put(bytes(1), bytes(1));
      store.put(bytes(2), bytes(2));
      store.put(bytes(2), bytes(3));
      store.delete(bytes(1));
      store.delete(bytes(9));
      expect(store.approximateNumEntries()).toBe(1);
    });
  });
}
